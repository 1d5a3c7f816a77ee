/**
 * Addresses of recent sshd sessions, by host and pid: sshd's address-less lines (`Disconnecting:
 * Too many authentication failures [preauth]`) take the address an earlier line of the same
 * session gave. Bounded: `SESSION_SLOTS` sessions at most, and a line only takes an address seen
 * within `SESSION_WINDOW_MS` of it.
 */
export interface SessionMemory {
  /** The address of the session `pid` on `host` (`''` when the line names no host). */
  remember(host: string, pid: number, ip: string, timeMs: number | undefined): void;
  /** The address remembered for the session, or null (none, or too old). */
  recall(host: string, pid: number, timeMs: number | undefined): string | null;
}

/** Sessions remembered at most (the scanner module keeps as many, in a direct-mapped table). */
export const SESSION_SLOTS = 4096;
/** Longest time between the line that gave the address and the one that takes it: 10 minutes. */
export const SESSION_WINDOW_MS = 600_000;

/** Whether two times (either possibly unknown) are within the session window. */
export function withinWindow(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined || Math.abs(a - b) <= SESSION_WINDOW_MS;
}

/** A session memory in JavaScript: the least recently remembered session goes first. */
export function createSessionMemory(): SessionMemory {
  const sessions = new Map<string, { ip: string; timeMs: number | undefined }>();
  return {
    remember(host, pid, ip, timeMs) {
      const key = `${host}\u0000${pid}`;
      sessions.delete(key);
      sessions.set(key, { ip, timeMs });
      if (sessions.size > SESSION_SLOTS) sessions.delete(sessions.keys().next().value!);
    },
    recall(host, pid, timeMs) {
      const found = sessions.get(`${host}\u0000${pid}`);
      return found && withinWindow(found.timeMs, timeMs) ? found.ip : null;
    },
  };
}
