import { Worker } from 'node:worker_threads';
import type { WorkerJob } from './scan-worker.js';

// Scan workers started ahead of a scan: a worker thread takes ~0.1 s to start and load the
// scanner, during which the calling thread would scan alone. The command's entry
// (bin/log-scan.js) starts them before it loads the CLI, and leaves them in a global: the entry
// and the bundled CLI share no module. They wait for their job by message, unreferenced (they
// never keep the process alive).
const KEY = Symbol.for('@ops/log-scan/prestarted-workers');

function prestarted(): Worker[] {
  const slot = globalThis as { [KEY]?: Worker[] };
  return (slot[KEY] ??= []);
}

/** Starts `count` scan workers ahead (`script`: the worker entry, dist/scanner/scan-worker.cjs). */
export function prestartScanWorkers(script: URL, count: number): void {
  const pool = prestarted();
  for (let k = 0; k < count; k++) {
    const worker = new Worker(script);
    worker.unref();
    // One that fails or ends before it is taken is not taken.
    const drop = () => { const at = pool.indexOf(worker); if (at >= 0) pool.splice(at, 1); };
    worker.once('error', drop);
    worker.once('exit', drop);
    pool.push(worker);
  }
}

/** A scan worker for `job`: one started ahead when there is one (its job posted), else a new one. */
export function startScanWorker(script: URL, job: WorkerJob): Worker {
  const ready = prestarted().shift();
  if (!ready) return new Worker(script, { workerData: job });
  ready.ref();
  ready.postMessage(job);
  return ready;
}

/** Stops the workers started ahead that no scan took. */
export function stopPrestartedWorkers(): void {
  for (const worker of prestarted().splice(0)) void worker.terminate();
}
