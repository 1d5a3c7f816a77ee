// Worker-thread entry: scans the byte range it is given and posts progress and its partial result.
import { parentPort, workerData } from 'node:worker_threads';
import { scanFileRange, type RangeJob } from './scan-file-range.js';

const job = workerData as RangeJob;
let pending = 0;
const result = await scanFileRange(job, (bytes) => {
  pending += bytes;
  if (pending >= 32 << 20) {
    parentPort!.postMessage({ type: 'progress', bytes: pending });
    pending = 0;
  }
});
if (pending) parentPort!.postMessage({ type: 'progress', bytes: pending });
parentPort!.postMessage({ type: 'result', result });
