#!/usr/bin/env node
import { userInfo } from 'node:os';
import { COMMON_FLAGS_HELP, ExitCode, UsageError, parseCliArgs, parseIntegerFlag, readPackageVersion, registerSecret, resolveOutputFormat, runCli } from '@ops/core';
import { loadTargets } from './inventory/load-targets.js';
import { parseTargetSpec } from './inventory/parse-target.js';
import { countDuplicates } from './probe/probe.js';
import { OUTPUT_FORMATS } from './output/format-results.js';
import { createResultWriter } from './output/result-writer.js';
import { probeAllIndexed } from './probe/probe.js';

const HELP = `Usage: ssh-probe [options] [[user@]host[:port] ...]

Checks SSH reachability of many hosts in parallel and says why each unreachable one failed.

Inventory:
  --inventory FILE         targets file, or - for stdin: [user@]host[:port] lines, [user@][v6]:port,
                           an Ansible INI inventory or an OpenSSH config (detected)
  --inventory-format F     auto, lines, ansible or ssh-config (default: auto)
  -F, --ssh-config FILE    OpenSSH client config: HostName, User, Port, IdentityFile, ProxyJump of
                           each target (Host and Match host/originalhost/user blocks, Include, %h %p
                           %r tokens; Match exec is never run); alone, its Host aliases are the
                           targets. Default: ~/.ssh/config and /etc/ssh/ssh_config, as ssh; -F none
                           reads no config. Duplicate entries are probed once, reported per entry
  --shard i/n              probe only shard i of n (1-based) of the inventory

Probe:
  --check C                tcp, banner (banner + key exchange), auth or exec (default: auth)
  --command CMD            command for --check exec, must exit 0 (default: true)
  --timeout DUR            bound of each host's connect + banner + handshake (default: 10s)
  --concurrency N          probes at once (default: 50)
  --per-host-concurrency N handshakes at once to one address:port (default: 8)
  --retries N              retries of a banner or key exchange that timed out on a server that
                           answered before (overloaded sshd) (default: 2)
  --throttle-retries N     retries, with backoff, of connections a throttling sshd turned away
                           (MaxStartups: "Exceeded MaxStartups", reset before the banner) (default: 8)
  --user USER              user for targets without one (default: current user)
  --port N                 port for targets without one (default: 22)
  --jump SPEC              jump host(s) [user@]host[:port][,...] for every target

Host keys and authentication:
  --known-hosts FILE       known_hosts file (default: ~/.ssh/known_hosts)
  --strict-host-key MODE   yes, accept-new or no (default: accept-new)
  -i, --identity FILE      private key (repeatable; default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)
  --passphrase-env VAR     env var holding the identity files' passphrase
  --password-env VAR       env var holding a password to try after the keys
  --no-agent               do not use the SSH agent (SSH_AUTH_SOCK)

Output:
  --format F               text, json, jsonl or csv (default: text). Every format is written as
                           probes finish (jsonl in completion order, the others in inventory order),
                           so Ctrl-C or SIGTERM leaves a valid, partial document
  --only-failed            write unreachable hosts only (the summary still counts all)
  --summary                write only the counts by reason (text, a JSON object, or reason,count csv)

Exit codes: 0 all reachable, 1 some unreachable, 2 usage, 3 nothing could be probed (e.g. no key).

${COMMON_FLAGS_HELP}`;

const FLAGS = {
  inventory: { type: 'string' },
  'inventory-format': { type: 'string' },
  'ssh-config': { type: 'string', short: 'F' },
  shard: { type: 'string' },
  check: { type: 'string' },
  command: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'per-host-concurrency': { type: 'string' },
  retries: { type: 'string' },
  'throttle-retries': { type: 'string' },
  user: { type: 'string' },
  port: { type: 'string' },
  jump: { type: 'string' },
  'known-hosts': { type: 'string' },
  'strict-host-key': { type: 'string' },
  identity: { type: 'string', short: 'i', multiple: true },
  'passphrase-env': { type: 'string' },
  'password-env': { type: 'string' },
  'no-agent': { type: 'boolean' },
  format: { type: 'string' },
  'only-failed': { type: 'boolean' },
  summary: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function secretFromEnv(variable: string | undefined, flag: string): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (value === undefined) throw new UsageError(`\`--${flag}\` names ${variable}, which is not set`, { hint: `export ${variable}=... first` });
  registerSecret(value);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

await runCli(async ({ argv, stdout, stderr, signal, logger }) => {
  const { values, positionals } = parseCliArgs(argv, FLAGS);
  if (values.help) {
    stdout.write(HELP + '\n');
    return ExitCode.OK;
  }
  const format = resolveOutputFormat(values.format, OUTPUT_FORMATS, { tty: 'text', pipe: 'text' }, stdout);
  if (values.jump) {
    for (const hop of values.jump.split(',')) {
      try {
        parseTargetSpec(hop);
      } catch (error) {
        throw new UsageError(`\`--jump\`: ${(error as Error).message}`);
      }
    }
  }
  const { targets, config, skipped, warnings } = await loadTargets({
    specs: positionals, inventory: values.inventory, inventoryFormat: values['inventory-format'], sshConfig: values['ssh-config'], shard: values.shard, readStdin,
  });
  for (const warning of warnings) stderr.write(`ssh-probe: ${warning}\n`);
  for (const s of skipped) stderr.write(`ssh-probe: skipped ${s.host}: ${s.reason}\n`);
  const duplicates = countDuplicates(targets);
  if (duplicates > 0) stderr.write(`ssh-probe: ${duplicates} duplicate inventory entr${duplicates === 1 ? 'y' : 'ies'} probed once and reported for each entry\n`);
  const defaultUser = values.user ?? userInfo().username;
  const writer = createResultWriter({
    format,
    out: stdout,
    entries: targets.map((t) => ({ host: t.host, user: t.user ?? defaultUser })),
    onlyFailed: values['only-failed'] === true,
    summaryOnly: values.summary === true,
  });
  if (targets.length === 0) {
    writer.end([`skipped (not probed): ${skipped.length} (${[...new Set(skipped.map((e) => e.reason))].join('; ')})`]);
    return ExitCode.OK;
  }
  const progress = stderr.isTTY === true && !(stdout as { isTTY?: boolean }).isTTY;
  let finished = 0;
  let unreachable = 0;
  try {
    for await (const [index, result] of probeAllIndexed(targets, {
      check: values.check as never,
      command: values.command,
      timeout: values.timeout,
      concurrency: parseIntegerFlag(values.concurrency, '--concurrency', { min: 1 }),
      perHostConcurrency: parseIntegerFlag(values['per-host-concurrency'], '--per-host-concurrency', { min: 1 }),
      retries: parseIntegerFlag(values.retries, '--retries', { min: 0 }),
      throttleRetries: parseIntegerFlag(values['throttle-retries'], '--throttle-retries', { min: 0 }),
      user: values.user,
      port: parseIntegerFlag(values.port, '--port', { min: 1 }),
      jump: values.jump,
      sshConfig: config,
      knownHosts: values['known-hosts'],
      strictHostKey: values['strict-host-key'] as never,
      identityFiles: values.identity,
      passphrase: secretFromEnv(values['passphrase-env'], 'passphrase-env'),
      password: secretFromEnv(values['password-env'], 'password-env'),
      agent: values['no-agent'] ? '' : undefined,
      signal,
      onKnownHostsAdded: ({ count, file }) => stderr.write(`ssh-probe: added ${count} host key${count === 1 ? '' : 's'} to ${file}\n`),
      onRetry: ({ target, attempt, delayMs, error }) => logger.debug('retrying throttled connection', { host: target.host, attempt, delayMs, error: (error as Error).message }),
    })) {
      writer.write(index, result);
      finished++;
      if (result.status === 'unreachable') unreachable++;
      if (progress) stderr.write(`\rprobed ${finished}/${targets.length}, ${unreachable} unreachable`);
    }
  } finally {
    if (progress) stderr.write('\r\x1b[K');
    // also on Ctrl-C / SIGTERM: what was probed is written and the document closed
    writer.end([
      ...(skipped.length ? [`skipped (not probed): ${skipped.length} (${[...new Set(skipped.map((e) => e.reason))].join('; ')})`] : []),
      ...(finished < targets.length ? [`interrupted: ${finished} of ${targets.length} hosts probed`] : []),
    ]);
  }
  return unreachable > 0 ? ExitCode.PROBLEM : ExitCode.OK;
}, { name: 'ssh-probe', version: () => readPackageVersion(new URL('../package.json', import.meta.url)) });
