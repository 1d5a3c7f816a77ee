#!/usr/bin/env node
import { COMMON_FLAGS_HELP, UsageError, formatErrorLine, formatDuration, parseCliArgs, parseIntegerFlag, runCli } from '@ops/core';
import { durationFlag, parseHeaderFlags, readDataFlag } from './cli/cli-flags.js';
import { cliFailure, describeAttempts } from './cli/cli-outcome.js';
import { createHttpClient } from './http/http-client.js';

const USAGE = `Usage: resilient-http [options] URL

Sends one HTTP request, retrying transient failures (408, 425, 429, 5xx, resets, refused
connections, timeouts) with exponential backoff and full jitter, honouring Retry-After.
GET, HEAD, OPTIONS, PUT and DELETE are retried; POST and PATCH only with an
Idempotency-Key header. Prints the response body to stdout, the attempts to stderr.

Options:
  -X, --method M        HTTP method (default: GET, or POST with --data)
  -H, --header 'K: V'   request header, repeatable
  -d, --data STR|@FILE  request body: the string, a file's bytes (@FILE) or stdin (@-)
  --retries N           retries after the first attempt (default: 3)
  --timeout D           limit of one attempt, e.g. 5s, 500ms; a bare number is seconds (default: 30s)
  --max-time D          limit of everything: attempts and waits (default: none)
  --max-delay D         longest wait between attempts (default: 30s)
  -h, --help            print this help

Exit codes: 0 a 2xx answer (or 1xx/3xx), 1 the final answer is an HTTP error status,
2 usage error, 3 gave up on network errors or timeouts.

${COMMON_FLAGS_HELP}
`;

await runCli(
  async ({ argv, logger, signal, stdout, stderr }) => {
    const { values, positionals } = parseCliArgs(argv, {
      method: { type: 'string', short: 'X' },
      header: { type: 'string', short: 'H', multiple: true },
      data: { type: 'string', short: 'd' },
      retries: { type: 'string' },
      timeout: { type: 'string' },
      'max-time': { type: 'string' },
      'max-delay': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`Expected one URL, got ${positionals.length}`, { hint: 'run resilient-http --help for the usage' });
    const url = positionals[0]!;
    const headers = parseHeaderFlags(values.header);
    const body = await readDataFlag(values.data);
    const method = (values.method ?? (body ? 'POST' : 'GET')).toUpperCase();
    if (!/^[A-Z]+$/.test(method)) throw new UsageError(`Expected \`--method\` to be an HTTP method such as GET or POST, got "${values.method}"`);
    const maxDelay = durationFlag(values['max-delay'], '--max-delay');
    const client = createHttpClient({
      logger,
      breaker: false,
      budget: false,
      maxErrorBody: 1024 * 1024,
      timeout: durationFlag(values.timeout, '--timeout'),
      retry: {
        retries: parseIntegerFlag(values.retries, '--retries'),
        maxElapsed: durationFlag(values['max-time'], '--max-time'),
        ...(maxDelay !== undefined ? { maxDelay, minDelay: Math.min(100, maxDelay) } : {}),
      },
    });
    const started = performance.now();
    try {
      const res = await client.request(method, url, { headers, body, signal });
      stdout.write(res.body);
      logger.info(`${method} ${res.url} answered ${res.status}`, { status: res.status, attempts: res.attempts, elapsed: formatDuration(performance.now() - started) });
      return 0;
    } catch (error) {
      const failure = cliFailure(error);
      if (signal.aborted || (error as { code?: string }).code === 'USAGE') throw error;
      if (failure.statusError) stdout.write(failure.statusError.body);
      if (failure.attempts.length) logger.info('attempts', { attempts: describeAttempts(failure.attempts) });
      stderr.write(`resilient-http: ${formatErrorLine(error)}\n`);
      return failure.exitCode;
    }
  },
  { name: 'resilient-http' },
);
