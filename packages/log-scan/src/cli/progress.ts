import { formatBytes } from '@ops/core';

// `total` and `value` are cli-progress's own payload keys: ours are `done` and `size`.
/**
 * A progress bar on stderr (bytes, rate, ETA); `tick(bytes)` advances it, `stop()` removes it.
 * (cli-progress is loaded here, not at start-up: most runs show no bar, and loading it costs
 * about 50 ms.)
 */
export async function createProgressBar(totalBytes: number | undefined, stream: NodeJS.WritableStream): Promise<{ tick(bytes: number): void; stop(): void }> {
  const { default: cliProgress } = await import('cli-progress');
  const started = Date.now();
  let done = 0;
  const bar = new cliProgress.SingleBar({
    stream,
    format: totalBytes ? '{bar} {percentage}% | {done} / {size} | {rate}/s | ETA {eta}s' : '{done} | {rate}/s',
    hideCursor: true,
    clearOnComplete: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  const payload = () => ({ done: formatBytes(done), size: totalBytes ? formatBytes(totalBytes) : '?', rate: formatBytes(done / Math.max(0.001, (Date.now() - started) / 1000)) });
  bar.start(totalBytes ?? 1, 0, payload());
  return {
    tick(bytes) {
      done += bytes;
      bar.update(totalBytes ? Math.min(done, totalBytes) : 0, payload());
    },
    stop() { bar.stop(); },
  };
}
