import { renderTable } from '@ops/core';
import type { FleetHost } from './fleet-status.js';

const percent = (ratio: number | undefined) => (ratio === undefined || Number.isNaN(ratio) ? '-' : `${(ratio * 100).toFixed(1)}%`);

/** The fleet as a text table: HOST, STATUS, CPU, MEMORY (percent), with a summary line. */
export function renderFleetTable(hosts: readonly FleetHost[]): string {
  const rows = hosts.map((h) => [h.instance, h.up ? 'up' : 'DOWN', percent(h.cpu), percent(h.memory)]);
  const down = hosts.filter((h) => !h.up).length;
  const table = rows.length ? renderTable(['HOST', 'STATUS', 'CPU', 'MEMORY'], rows, { alignRight: [2, 3] }) : '(no targets)';
  return `${table}\n${hosts.length} hosts, ${hosts.length - down} up, ${down} down\n`;
}

/** The fleet as JSON lines-friendly data: ratios 0..1, null when unknown. */
export function fleetToJson(hosts: readonly FleetHost[]): string {
  return `${JSON.stringify(hosts.map((h) => ({ instance: h.instance, up: h.up, cpu: h.cpu ?? null, memory: h.memory ?? null })), null, 2)}\n`;
}
