import type { RawMatch } from './match-line.js';
import { readLine } from './match-line.js';
import type { SessionMemory } from './session-memory.js';

/**
 * Recognizes the lines of one stream in order: `readLine`, with sshd sessions remembered by host
 * and pid so that a line naming no address takes the one its session gave before.
 */
export function createLineMatcher(referenceMs: number, sessions: SessionMemory): (line: string) => RawMatch | null {
  return (line) => {
    const found = readLine(line, referenceMs);
    if (!found) return null;
    const { session } = found;
    if (!found.addressless) {
      if (session) sessions.remember(session.host, session.pid, found.ip, found.timeMs);
      return found;
    }
    const ip = session ? sessions.recall(session.host, session.pid, found.timeMs) : null;
    return ip === null ? null : { ip, user: found.user, kind: found.kind, timeMs: found.timeMs, count: found.count };
  };
}
