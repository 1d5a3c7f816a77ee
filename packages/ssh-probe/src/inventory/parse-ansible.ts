import { inventoryError } from '../errors.js';
import type { Inventory, SkippedEntry, Target } from '../types.js';
import { shellWords } from './shell-words.js';
import { parsePort, parseTargetSpec, TargetSpecError } from './parse-target.js';

type Vars = Record<string, string>;

/** Expands Ansible host ranges: `web[01:03]` -> web01, web02, web03; `web[1:9:4]` -> web1, web5, web9; `db-[a:c]` -> db-a, db-b, db-c. */
export function expandHostRange(pattern: string): string[] {
  const m = /^(.*?)\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?\](.*)$/i.exec(pattern);
  if (!m || pattern.startsWith('[')) return [pattern];
  const [, head, from, to, strideText, tail] = m as unknown as [string, string, string, string, string | undefined, string];
  const stride = Math.max(1, Number(strideText ?? 1));
  const out: string[] = [];
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const width = from.startsWith('0') ? from.length : 0;
    for (let i = Number(from); i <= Number(to); i += stride) out.push(...expandHostRange(`${head}${String(i).padStart(width, '0')}${tail}`));
  } else {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += stride) out.push(...expandHostRange(`${head}${String.fromCharCode(c)}${tail}`));
  }
  return out;
}

/** Words of an inventory line, shell-quoted as Ansible reads them; an unterminated quote names the line. */
function words(line: string, source: string, lineNo: number): string[] {
  try {
    return shellWords(line);
  } catch (error) {
    throw inventoryError(`${source} line ${lineNo}: ${(error as Error).message} in "${line}"`, { source, line: lineNo }, 'close the quote; Ansible reads host lines with shell-like quoting');
  }
}

function parseVars(tokens: readonly string[], source: string, line: number): Vars {
  const vars: Vars = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) throw inventoryError(`${source} line ${line}: expected key=value, got "${token}"`, { source, line });
    vars[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return vars;
}

/**
 * An Ansible INI inventory: `[group]` sections of `host key=value...` lines, `[group:vars]` and
 * `[group:children]`. `ansible_host`, `ansible_port` and `ansible_user` (and the `ansible_ssh_*`
 * spellings) give the address, port and user; host vars beat group vars, which beat `[all:vars]`.
 * Hosts listed in several groups appear once, in first-seen order.
 */
export function parseAnsibleInventory(text: string, source = 'inventory'): Inventory {
  const hostVars = new Map<string, Vars>();
  const hostGroups = new Map<string, Set<string>>();
  const groupVars = new Map<string, Vars>();
  const parents = new Map<string, Set<string>>();
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = header[1]!;
      kind = (header[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      return;
    }
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) throw inventoryError(`${source} line ${index + 1}: expected key=value in [${section}:vars]`, { source, line: index + 1 });
      const value = line.slice(eq + 1).trim();
      const unquoted = /^(['"]).*\1$/.test(value) ? (words(value, source, index + 1)[0] ?? '') : value.replace(/\s+[#;].*$/, '');
      groupVars.set(section, { ...groupVars.get(section), [line.slice(0, eq).trim()]: unquoted });
      return;
    }
    const tokens = words(line, source, index + 1);
    if (tokens.length === 0) return;
    if (kind === 'children') {
      const set = parents.get(tokens[0]!) ?? new Set<string>();
      set.add(section);
      parents.set(tokens[0]!, set);
    } else {
      const vars = parseVars(tokens.slice(1), source, index + 1);
      for (const name of expandHostRange(tokens[0]!)) {
        hostVars.set(name, { ...hostVars.get(name), ...vars });
        const groups = hostGroups.get(name) ?? new Set<string>();
        groups.add(section);
        hostGroups.set(name, groups);
      }
    }
  });

  const ancestors = (group: string, seen = new Set<string>()): string[] => {
    if (seen.has(group)) return [];
    seen.add(group);
    return [...(parents.get(group) ?? [])].flatMap((p) => [...ancestors(p, seen), p]);
  };

  const inventory: { targets: Target[]; skipped: SkippedEntry[] } = { targets: [], skipped: [] };
  for (const [name, own] of hostVars) {
    const groups = [...(hostGroups.get(name) ?? [])];
    const vars: Vars = { ...groupVars.get('all') };
    for (const g of groups) for (const a of ancestors(g)) Object.assign(vars, groupVars.get(a));
    for (const g of groups) Object.assign(vars, groupVars.get(g));
    Object.assign(vars, own);
    const connection = vars.ansible_connection;
    if (connection !== undefined && connection !== 'ssh' && connection !== 'paramiko' && connection !== 'smart') {
      inventory.skipped.push({ host: name, reason: `ansible_connection=${connection} (not reached over SSH)` });
      continue;
    }
    inventory.targets.push(toTarget(name, vars, source));
  }
  return inventory;
}

function toTarget(name: string, vars: Vars, source: string): Target {
  let spec;
  try {
    spec = parseTargetSpec(name);
  } catch (error) {
    if (error instanceof TargetSpecError) throw inventoryError(`${source}: host "${name}": ${error.message}`, { source, host: name });
    throw error;
  }
  const address = vars.ansible_host ?? vars.ansible_ssh_host;
  const portText = vars.ansible_port ?? vars.ansible_ssh_port;
  const user = vars.ansible_user ?? vars.ansible_ssh_user ?? spec.user;
  let port = spec.port;
  if (portText !== undefined) {
    try {
      port = parsePort(portText, 'ansible_port');
    } catch (error) {
      throw inventoryError(`${source}: host "${name}": ${(error as Error).message}`, { source, host: name });
    }
  }
  const keyFile = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
  return {
    host: spec.host,
    ...(address && address !== spec.host ? { hostName: address } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(keyFile ? { identityFiles: [keyFile] } : {}),
  };
}
