import { createRequire } from 'node:module';
import type * as Undici from 'undici';

// undici's index also loads fetch, WebSocket, caches, mocks and interceptors: about three times the
// modules a request needs (~2/3 of its load time, which the CLI pays before its first request). The
// dispatcher, its request API and the global agent are loaded alone, as undici's index wires them.
const require = createRequire(import.meta.url);
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: Record<string, unknown> };
if (typeof Dispatcher.prototype.request !== 'function') Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export const getGlobalDispatcher = (require('undici/lib/global.js') as { getGlobalDispatcher: typeof Undici.getGlobalDispatcher }).getGlobalDispatcher;
