import { readProcFile } from '../proc/read-proc-file.js';
import { Counter } from 'prom-client';
import { readFilesystems } from '../proc/read-filesystems.js';
import type { CollectorContext, HostCollector } from './host-collector.js';
import { sampledGauge } from './sampled-gauge.js';

export const DISK_METRICS = {
  size: 'host_filesystem_size_bytes',
  avail: 'host_filesystem_avail_bytes',
  usage: 'host_filesystem_usage_ratio',
  read: 'host_disk_read_bytes_total',
  written: 'host_disk_written_bytes_total',
} as const;

/** Block devices worth reporting: not loop, ram or device-mapper helpers. */
const SKIP_DEVICE = /^(loop|ram|zram|sr|fd)\d*/;

/** Parses /proc/diskstats into bytes read and written per device (sectors are 512 bytes). */
export function parseDiskstats(text: string): Array<{ device: string; readBytes: number; writtenBytes: number }> {
  const out: Array<{ device: string; readBytes: number; writtenBytes: number }> = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || SKIP_DEVICE.test(f[2]!)) continue;
    out.push({ device: f[2]!, readBytes: Number(f[5]) * 512, writtenBytes: Number(f[9]) * 512 });
  }
  return out;
}

/** Filesystem sizes (`df` in a child process) and, on Linux, bytes read and written per block device. */
export function diskCollector({ registry, procRoot }: CollectorContext): HostCollector {
  const fsLabels = ['device', 'mountpoint', 'fstype'];
  const size = sampledGauge({ name: DISK_METRICS.size, help: 'Filesystem size in bytes.', labelNames: fsLabels, registers: [registry] });
  const avail = sampledGauge({ name: DISK_METRICS.avail, help: 'Filesystem space available to unprivileged users in bytes.', labelNames: fsLabels, registers: [registry] });
  const usage = sampledGauge({ name: DISK_METRICS.usage, help: 'Share of the filesystem in use: 1 - avail/size, 0..1.', labelNames: fsLabels, registers: [registry] });
  const read = new Counter({ name: DISK_METRICS.read, help: 'Bytes read from the block device since boot.', labelNames: ['device'], registers: [registry] });
  const written = new Counter({ name: DISK_METRICS.written, help: 'Bytes written to the block device since boot.', labelNames: ['device'], registers: [registry] });

  return {
    name: 'disk',
    async collect(signal) {
      const [filesystems, stats] = await Promise.all([
        readFilesystems(signal),
        process.platform === 'linux' ? readProcFile(`${procRoot}/diskstats`, signal).then(parseDiskstats) : [],
      ]);
      if (signal.aborted) return;
      for (const g of [size, avail, usage]) g.reset();
      for (const fs of filesystems) {
        if (!fs.sizeBytes) continue;
        const labels = { device: fs.device, mountpoint: fs.mountpoint, fstype: fs.fstype };
        size.set(labels, fs.sizeBytes);
        avail.set(labels, fs.availBytes);
        usage.set(labels, Math.min(1, Math.max(0, 1 - fs.availBytes / fs.sizeBytes)));
      }
      read.reset();
      written.reset();
      for (const d of stats) {
        read.inc({ device: d.device }, d.readBytes);
        written.inc({ device: d.device }, d.writtenBytes);
      }
    },
  };
}
