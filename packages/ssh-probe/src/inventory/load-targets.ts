import { readFile } from 'node:fs/promises';
import { UsageError } from '@ops/core';
import type { SkippedEntry, Target } from '../types.js';
import { loadDefaultSshConfig, loadSshConfig } from './load-ssh-config.js';
import { INVENTORY_FORMATS, readInventory, type InventoryFormat } from './parse-inventory.js';
import { parseTargetSpec, TargetSpecError } from './parse-target.js';
import { parseShard, selectShard } from './shard.js';
import { applySshConfig, sshConfigTargets, type SshConfig } from './ssh-config.js';

export interface LoadTargetsOptions {
  /** `[user@]host[:port]` from the command line. */
  readonly specs: readonly string[];
  /** Inventory file, `-` for stdin. Defaults to none. */
  readonly inventory?: string;
  /** Defaults to `auto`. */
  readonly inventoryFormat?: string;
  /** `-F`: a config file, or `none`. Defaults to ~/.ssh/config then /etc/ssh/ssh_config, as ssh reads them. */
  readonly sshConfig?: string;
  /** `i/n`. Defaults to all targets. */
  readonly shard?: string;
  /** Reads stdin for `--inventory -`. */
  readonly readStdin: () => Promise<string>;
}

export interface LoadedTargets {
  readonly targets: Target[];
  readonly config: SshConfig | undefined;
  /** Inventory entries not probed (`ansible_connection=local`). */
  readonly skipped: SkippedEntry[];
  /** What could not be applied (`Match exec`). */
  readonly warnings: string[];
}

async function readSource(path: string, readStdin: () => Promise<string>): Promise<string> {
  try {
    return path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The targets of a CLI run, as ssh would see them: host arguments and the inventory, with the ssh
 * config applied to each (the `-F` file, or by default ~/.ssh/config and /etc/ssh/ssh_config;
 * `-F none` reads none). A `-F` file alone gives its Host aliases as targets.
 */
export async function loadTargets(o: LoadTargetsOptions): Promise<LoadedTargets> {
  const format = (o.inventoryFormat ?? 'auto') as InventoryFormat;
  if (!INVENTORY_FORMATS.includes(format)) throw new UsageError(`Expected \`--inventory-format\` to be one of ${INVENTORY_FORMATS.join(', ')}, got "${format}"`);
  const explicit = o.sshConfig !== undefined && o.sshConfig !== 'none';
  const config = explicit ? await loadSshConfig(o.sshConfig!) : o.sshConfig === 'none' ? undefined : await loadDefaultSshConfig();
  let targets: Target[] = [];
  for (const spec of o.specs) {
    try {
      targets.push(parseTargetSpec(spec));
    } catch (error) {
      if (error instanceof TargetSpecError) throw new UsageError(`host argument: ${error.message}`);
      throw error;
    }
  }
  const skipped: SkippedEntry[] = [];
  const warnings: string[] = [...(config?.warnings ?? [])];
  if (o.inventory) {
    const inventory = readInventory(await readSource(o.inventory, o.readStdin), format, o.inventory === '-' ? 'stdin' : o.inventory);
    targets.push(...inventory.targets);
    skipped.push(...inventory.skipped);
    warnings.push(...(inventory.warnings ?? []));
  }
  if (config) targets = targets.length || skipped.length || !explicit ? targets.map((t) => applySshConfig(t, config)) : sshConfigTargets(config, o.sshConfig);
  if (targets.length === 0 && skipped.length === 0) throw new UsageError('no targets: pass hosts as arguments, --inventory FILE or --ssh-config FILE', { hint: 'run with --help for the usage' });
  return { targets: o.shard ? selectShard(targets, parseShard(o.shard)) : targets, config, skipped, warnings };
}
