import { readProcFile } from '../proc/read-proc-file.js';
import { Counter } from 'prom-client';
import type { CollectorContext, HostCollector } from './host-collector.js';

export const NETWORK_METRICS = {
  received: 'host_network_receive_bytes_total',
  transmitted: 'host_network_transmit_bytes_total',
  receiveErrors: 'host_network_receive_errors_total',
  transmitErrors: 'host_network_transmit_errors_total',
} as const;

export interface InterfaceCounters {
  readonly device: string;
  readonly rxBytes: number;
  readonly rxErrors: number;
  readonly txBytes: number;
  readonly txErrors: number;
}

/** Parses /proc/net/dev: per interface, bytes and errors received and transmitted. */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split('\n').slice(2)) {
    const at = line.indexOf(':');
    if (at < 0) continue;
    const f = line.slice(at + 1).trim().split(/\s+/).map(Number);
    out.push({ device: line.slice(0, at).trim(), rxBytes: f[0] ?? 0, rxErrors: f[2] ?? 0, txBytes: f[8] ?? 0, txErrors: f[10] ?? 0 });
  }
  return out;
}

async function readInterfaces(procRoot: string, signal: AbortSignal): Promise<InterfaceCounters[]> {
  if (process.platform === 'linux') return parseNetDev(await readProcFile(`${procRoot}/net/dev`, signal));
  const stats = await (await import('systeminformation')).default.networkStats('*');
  return stats.map((s) => ({ device: s.iface, rxBytes: s.rx_bytes, rxErrors: s.rx_errors, txBytes: s.tx_bytes, txErrors: s.tx_errors }));
}

/** Bytes and errors per network interface since boot, from /proc/net/dev (systeminformation elsewhere). */
export function networkCollector({ registry, procRoot }: CollectorContext): HostCollector {
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['device'], registers: [registry] });
  const rx = counter(NETWORK_METRICS.received, 'Bytes received on the interface.');
  const tx = counter(NETWORK_METRICS.transmitted, 'Bytes transmitted on the interface.');
  const rxErr = counter(NETWORK_METRICS.receiveErrors, 'Receive errors on the interface.');
  const txErr = counter(NETWORK_METRICS.transmitErrors, 'Transmit errors on the interface.');
  return {
    name: 'network',
    async collect(signal) {
      const interfaces = await readInterfaces(procRoot, signal);
      if (signal.aborted) return;
      for (const c of [rx, tx, rxErr, txErr]) c.reset();
      for (const i of interfaces) {
        rx.inc({ device: i.device }, i.rxBytes);
        tx.inc({ device: i.device }, i.txBytes);
        rxErr.inc({ device: i.device }, i.rxErrors);
        txErr.inc({ device: i.device }, i.txErrors);
      }
    },
  };
}
