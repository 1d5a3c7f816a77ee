import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { startFaultServer, type FaultServer, type FaultServerOptions } from './fault-http.js';

/**
 * The fault server of one test file: started before its tests, `reset()` before each one, stopped
 * after them (jest's `beforeAll`/`beforeEach`/`afterAll`). Returns a stand-in that forwards to the
 * server once started, so a test file writes `const server = useFaultServer();` and uses
 * `server.url`, `server.script(...)` as usual.
 */
export function useFaultServer(options?: FaultServerOptions): FaultServer {
  let started: FaultServer | undefined;
  beforeAll(async () => {
    started = await startFaultServer(options);
  });
  beforeEach(() => started?.reset());
  afterAll(() => started?.stop());
  const current = (): FaultServer => {
    if (!started) throw new Error('useFaultServer(): the server is started in beforeAll; use it inside a test or hook');
    return started;
  };
  return new Proxy({} as FaultServer, {
    get: (_, prop) => {
      const value = (current() as unknown as Record<string | symbol, unknown>)[prop];
      return typeof value === 'function' ? value.bind(current()) : value;
    },
  });
}
