import type { Duplex } from 'node:stream';
import { ProbeFailure } from '../errors.js';
import { describePeerBytes, escapeText, isOtherProtocol } from './peer-text.js';

const MAX_PRELUDE = 8192;
/** What sshd says when it drops a connection under MaxStartups (or PerSourcePenalties). */
const THROTTLED = /^(Exceeded MaxStartups|Not allowed at this time)/i;

/**
 * Reads the server's identification line (`SSH-2.0-...`), skipping the text lines RFC 4253 allows
 * before it, then puts every byte back (`unshift`) for the SSH client. A connection closed or reset
 * before any byte is `retryable` (sshd's MaxStartups drops it that way); text that is not SSH is a
 * `protocol` failure. Rejects with the signal's reason on abort.
 */
export function readBanner(stream: Duplex, where: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (failure: unknown) => {
      cleanup();
      stream.destroy();
      reject(failure);
    };
    const onAbort = () => fail(signal.reason);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      let start = 0;
      for (let nl = buffered.indexOf(10, start); nl >= 0; nl = buffered.indexOf(10, start)) {
        const line = buffered.subarray(start, nl).toString('latin1').replace(/\r$/, '');
        if (line.startsWith('SSH-')) {
          cleanup();
          stream.pause();
          stream.unshift(buffered);
          return resolve(line);
        }
        // sshd's refusal line: at once, since the reset that follows it may arrive before the end.
        if (THROTTLED.test(line)) return fail(turnedAway(where, line));
        if (isOtherProtocol(line)) return fail(notSsh(where, buffered.subarray(start)));
        if (start === 0 && !/^[\x20-\x7e\t]*$/.test(line)) break;
        start = nl + 1;
      }
      if (buffered.length > MAX_PRELUDE || (buffered.length > 0 && !/^[\x20-\x7e\t\r\n]*$/.test(buffered.subarray(0, 256).toString('latin1')))) {
        fail(notSsh(where, buffered));
      }
    };
    const onEnd = () => {
      const said = buffered.toString('latin1').trim();
      if (THROTTLED.test(said)) {
        fail(turnedAway(where, said));
      } else if (buffered.length > 0) {
        fail(notSsh(where, buffered));
      } else {
        fail(new ProbeFailure('throttled', 'banner', `${where} closed the connection before its SSH banner (sshd MaxStartups throttling, or not an SSH server)`, { retryable: true }));
      }
    };
    const onError = (error: NodeJS.ErrnoException) => {
      const said = buffered.toString('latin1').trim();
      if (THROTTLED.test(said)) {
        fail(turnedAway(where, said));
      } else if (buffered.length > 0 && !buffered.subarray(0, 4).equals(Buffer.from('SSH-'))) {
        fail(notSsh(where, buffered));
      } else if (buffered.length === 0 && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        fail(new ProbeFailure('throttled', 'banner', `${where} reset the connection before its SSH banner (sshd MaxStartups throttling?)`, { cause: error, retryable: true }));
      } else {
        fail(new ProbeFailure('protocol', 'banner', `${where}: ${error.message} while waiting for the SSH banner`, { cause: error }));
      }
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.on('error', onError);
  });
}

function notSsh(where: string, data: Buffer): ProbeFailure {
  return new ProbeFailure('protocol', 'banner', `${where} is not an SSH server (saw ${describePeerBytes(data)})`);
}

function turnedAway(where: string, said: string): ProbeFailure {
  return new ProbeFailure('throttled', 'banner', `${where} turned the connection away before its SSH banner: "${escapeText(said.slice(0, 80))}" (sshd MaxStartups throttling)`, { retryable: true });
}
