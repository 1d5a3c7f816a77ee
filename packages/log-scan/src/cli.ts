#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { COMMON_FLAGS_HELP, ExitCode, parseCliArgs, parseIntegerFlag, parseDuration, readPackageVersion, resolveOutputFormat, runCli, UsageError, type CliContext } from '@ops/core';
import { KINDS, selectKinds, SUSPICIOUS_KINDS } from './match/kinds.js';
import { events } from './events.js';
import { scan } from './scan.js';
import { scanToJson } from './scan-to-json.js';
import { mergeResults } from './results/merge-results.js';
import type { ScanResult } from './results/scan-result.js';
import { resolveSources } from './sources/resolve-sources.js';
import { EVENT_CSV_HEADER, formatEvent, formatResult, FORMATS } from './cli/format-result.js';
import { escapeText } from './cli/escape-text.js';
import { writeChunks } from './cli/write-chunks.js';
import { parseIgnoreList, type IgnoreList } from './results/ignore-list.js';
import { createProgressBar } from './cli/progress.js';

const USAGE = `Usage: log-scan [options] SOURCE...
       log-scan merge RESULT.json...

Every remote IP that failed to authenticate (sshd, PAM, vsftpd, dovecot, postfix SASL,
nginx and Apache basic/digest auth; plain lines or JSON records of log collectors),
with counts, users tried, first/last seen and kinds.

SOURCE: a file (gzip detected by content), a directory (every file under it), a glob
('/var/log/auth.log*'), - for stdin, s3://bucket/key, s3://bucket/prefix/,
kafka://broker1:9092,broker2:9092/topic

Options:
  --format text|json|jsonl|csv|ips
                                output (default: text on a terminal, json otherwise); ips: one
                                address a line, busiest first (for ipset, nft)
  --events                      one record per matching line instead of per IP
  --top N                       only the N IPs with the most failures (0: all; a table on a
                                terminal shows the busiest that fit, at most 20, by default)
  --min-failures N              only IPs with at least N failures
  --ignore CIDR[,CIDR...]       leave these networks out (your own: 10.0.0.0/8,2001:db8::/32)
  --since TIME, --until TIME    only failures in [since, until) (ISO 8601, or a duration like 24h back from now)
  --threads N                   threads scanning a large file, this one included (default: CPUs, at most 8)
  --kind K[,K...]               only these kinds (repeatable; suspicious ones included when named)
  --exclude-kind K[,K...]       not these kinds (repeatable)
  --suspicious                  also count suspicious kinds (pre-auth disconnects after no failure;
                                fail2ban's aggressive mode): ${SUSPICIOUS_KINDS.join(', ')}
  --progress                    progress bar on stderr (default: when stderr is a terminal)
  --group ID                    Kafka consumer group (default: log-scan)
  --from-beginning              Kafka: start at the earliest offset, not the committed one
  --until-end                   Kafka: stop at the end offsets seen at start instead of following
  -h, --help                    this help

Kinds: ${KINDS.join(', ')}

Exit codes: 0 scanned (with or without failures found), 2 usage or missing source,
3 a source failed part-way (what was read is still printed).
`;

const OPTIONS = {
  format: { type: 'string' },
  events: { type: 'boolean' },
  top: { type: 'string' },
  'min-failures': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  threads: { type: 'string' },
  kind: { type: 'string', multiple: true },
  'exclude-kind': { type: 'string', multiple: true },
  suspicious: { type: 'boolean' },
  progress: { type: 'boolean' },
  group: { type: 'string' },
  'from-beginning': { type: 'boolean' },
  'until-end': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(ctx: CliContext): Promise<number> {
  if (ctx.argv[0] === 'merge') return merge(ctx);
  const { values, positionals } = parseCliArgs(ctx.argv, OPTIONS);
  if (values.help) { ctx.stdout.write(`${USAGE}\n${COMMON_FLAGS_HELP}\n`); return ExitCode.OK; }
  if (positionals.length === 0) throw new UsageError('no SOURCE given', { hint: 'run with --help for the usage' });
  const format = resolveOutputFormat(values.format, FORMATS, { tty: 'text', pipe: 'json' }, ctx.stdout);
  const top = parseIntegerFlag(values.top, '--top', { min: 0 }) ?? (format === 'text' && ctx.stdout.isTTY ? tableRows(ctx.stdout as { rows?: number }) : 0);
  const minFailures = parseIntegerFlag(values['min-failures'], '--min-failures', { min: 1 });
  const ignore = values.ignore === undefined ? undefined : parseIgnoreList(values.ignore.join(','), '--ignore');
  const threads = parseIntegerFlag(values.threads, '--threads', { min: 1 });
  const since = values.since === undefined ? undefined : parseTime(values.since, '--since');
  const until = values.until === undefined ? undefined : parseTime(values.until, '--until');
  const kinds = selectKinds(
    { kinds: kindList(values.kind), excludeKinds: kindList(values['exclude-kind']), suspicious: values.suspicious ?? false },
    { kinds: '--kind', excludeKinds: '--exclude-kind' },
  );
  const remote = {
    kafka: { group: values.group, fromBeginning: values['from-beginning'] ?? false, untilEnd: values['until-end'] ?? false },
    logger: ctx.logger,
    signal: ctx.signal,
  };
  const sources = await resolveSources(positionals, remote);
  const known = sources.every((s) => s.size !== undefined);
  const bar = values.progress || ctx.stderr.isTTY ? await createProgressBar(known ? sources.reduce((n, s) => n + (s.size ?? 0), 0) : undefined, ctx.stderr) : undefined;
  const options = { threads, since, until, kinds, top, minFailures, ignore: values.ignore?.join(','), remote, logger: ctx.logger, signal: ctx.signal, onProgress: bar?.tick };
  try {
    if (values.events) {
      if (format === 'ips') throw new UsageError('--format ips lists addresses, not events', { hint: 'drop --events, or use --format jsonl|csv|text' });
      return await printEvents(ctx, sources, { ...options, top: undefined, minFailures: undefined }, format === 'json' ? 'jsonl' : format, ignore);
    }
    // JSON is written from the scanner's tables when it can be (no record objects made).
    let result: Pick<ScanResult, 'errors'>;
    if (format === 'json') {
      result = await scanToJson(sources, options, ctx.stdout, () => bar?.stop());
    } else {
      const scanned = await scan(sources, options);
      bar?.stop();
      await writeChunks(ctx.stdout, formatResult(scanned, format));
      result = scanned;
    }
    for (const e of result.errors) ctx.stderr.write(`log-scan: ${e.code}: ${escapeText(e.message)}\n`);
    return result.errors.length ? ExitCode.ENVIRONMENT : ExitCode.OK;
  } finally {
    bar?.stop();
  }
}

// Rows of the table on a terminal: the busiest addresses that fit above the header, the summary
// line and the prompt, at most 20 (--top 0 shows all).
function tableRows(stdout: { rows?: number }): number {
  const rows = stdout.rows ? stdout.rows - 3 : 20;
  return Math.max(1, Math.min(20, rows));
}

async function printEvents(ctx: CliContext, sources: Awaited<ReturnType<typeof resolveSources>>, options: Parameters<typeof scan>[1], format: 'text' | 'jsonl' | 'csv', ignore?: IgnoreList): Promise<number> {
  let failed = 0;
  if (format === 'csv') ctx.stdout.write(EVENT_CSV_HEADER);
  for (const source of sources) {
    try {
      const pieces: string[] = [];
      for await (const event of events(source, options)) {
        if (ignore?.(event.ip)) continue;
        pieces.push(formatEvent(event, format));
        if (pieces.length >= 512) await writeChunks(ctx.stdout, pieces.splice(0));
      }
      await writeChunks(ctx.stdout, pieces);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      failed++;
      ctx.stderr.write(`log-scan: ${(error as { code?: string }).code ?? 'LOG_SCAN_SOURCE_FAILED'}: ${escapeText((error as Error).message)}\n`);
    }
  }
  return failed ? ExitCode.ENVIRONMENT : ExitCode.OK;
}

async function merge(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(ctx.argv.slice(1), {
    format: { type: 'string' }, top: { type: 'string' }, 'min-failures': { type: 'string' }, ignore: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
  } as const);
  if (values.help) { ctx.stdout.write(`${USAGE}\n${COMMON_FLAGS_HELP}\n`); return ExitCode.OK; }
  if (positionals.length === 0) throw new UsageError('merge needs at least one RESULT.json', { hint: 'log-scan merge a.json b.json' });
  const format = resolveOutputFormat(values.format, FORMATS, { tty: 'text', pipe: 'json' }, ctx.stdout);
  const top = parseIntegerFlag(values.top, '--top', { min: 0 }) ?? (format === 'text' && ctx.stdout.isTTY ? tableRows(ctx.stdout as { rows?: number }) : 0);
  const minFailures = parseIntegerFlag(values['min-failures'], '--min-failures', { min: 1 });
  const ignore = values.ignore === undefined ? undefined : parseIgnoreList(values.ignore.join(','), '--ignore');
  const parts: ScanResult[] = [];
  for (const path of positionals) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      parts.push(JSON.parse(text) as ScanResult);
    } catch (error) {
      throw new UsageError(`${path} is not JSON: ${(error as Error).message}`, { cause: error, hint: 'merge the outputs of `log-scan --format json`' });
    }
  }
  const merged = mergeResults(parts, { top, minFailures, ignore });
  await writeChunks(ctx.stdout, formatResult(merged, format));
  return ExitCode.OK;
}

/** `--kind a,b --kind c` as one list (undefined when the flag is not given). */
function kindList(values: readonly string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(',')).map((k) => k.trim()).filter((k) => k !== '');
}

function parseTime(text: string, flag: string): number {
  if (/^\d+(?:\.\d+)?[a-z]+$/.test(text)) return Date.now() - parseDuration(text, { name: flag });
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`Expected \`${flag}\` to be a time (2024-11-19T10:00:00Z) or an age (24h), got "${text}"`);
  return ms;
}

void runCli(main, { name: 'log-scan', version: () => readPackageVersion(new URL('../package.json', import.meta.url)) });
