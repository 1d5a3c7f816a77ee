import { UsageError } from '@ops/core';
import type { Inventory, Target } from '../types.js';
import { parseAnsibleInventory } from './parse-ansible.js';
import { parseLines } from './parse-lines.js';
import { parseSshConfig, sshConfigTargets } from './ssh-config.js';

/** Inventory formats `parseInventory` reads; `auto` picks one from the content. */
export type InventoryFormat = 'auto' | 'lines' | 'ansible' | 'ssh-config';

export const INVENTORY_FORMATS: readonly InventoryFormat[] = ['auto', 'lines', 'ansible', 'ssh-config'];

/** Guesses the format: `Host` keywords mean ssh config, `[group]` headers or `ansible_` vars mean Ansible INI. */
export function detectInventoryFormat(text: string): Exclude<InventoryFormat, 'auto'> {
  if (/^\s*Host(\s+|\s*=)\S/im.test(text)) return 'ssh-config';
  if (/^\s*\[[A-Za-z_][\w.-]*(:(vars|children))?\]\s*$/m.test(text) || /\sansible_\w+=/.test(text)) return 'ansible';
  return 'lines';
}

/**
 * Targets of an inventory, in file order: plain lines (`[user@]host[:port]`), an Ansible INI
 * inventory, or the `Host` aliases of an OpenSSH client config.
 */
export function parseInventory(text: string, format: InventoryFormat = 'auto', source = 'inventory'): Target[] {
  return readInventory(text, format, source).targets;
}

/** `parseInventory` with the entries left out (`ansible_connection=local`) and config warnings. */
export function readInventory(text: string, format: InventoryFormat = 'auto', source = 'inventory'): Inventory {
  if (!INVENTORY_FORMATS.includes(format)) throw new UsageError(`Expected \`format\` to be one of ${INVENTORY_FORMATS.join(', ')}, got "${String(format)}"`);
  const kind = format === 'auto' ? detectInventoryFormat(text) : format;
  if (kind === 'ansible') return parseAnsibleInventory(text, source);
  if (kind === 'ssh-config') {
    const config = parseSshConfig(text, source);
    return { targets: sshConfigTargets(config, source), skipped: [], warnings: [...config.warnings] };
  }
  return { targets: parseLines(text, source), skipped: [] };
}
