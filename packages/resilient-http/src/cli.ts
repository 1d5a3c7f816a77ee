#!/usr/bin/env node
import { UsageError, formatDuration, formatErrorLine, parseCliArgs, parseIntegerFlag, readPackageVersion, runCli } from '@ops/core';
import { CLI_OPTIONS, USAGE } from './cli/cli-usage.js';
import { buildCliRequest, durationFlag } from './cli/cli-flags.js';
import { cliFailure, describeAttempts, statusLine } from './cli/cli-outcome.js';
import { createHttpClient } from './http/http-client.js';
import { redactUrl } from './http/redact-url.js';

await runCli(
  async ({ argv, logger, signal, stdout, stderr }) => {
    const { values, positionals } = parseCliArgs(argv, CLI_OPTIONS);
    if (values.help) {
      stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`Expected one URL, got ${positionals.length}`, { hint: 'run resilient-http --help for the usage' });
    const url = positionals[0]!;
    const { method, options } = await buildCliRequest(values);
    const maxDelay = durationFlag(values['max-delay'], '--max-delay');
    const maxTime = durationFlag(values['max-time'], '--max-time');
    const client = createHttpClient({
      logger,
      breaker: false,
      budget: false,
      maxErrorBody: 1024 * 1024,
      timeout: durationFlag(values.timeout, '--timeout'),
      connectTimeout: durationFlag(values['connect-timeout'], '--connect-timeout'),
      idleTimeout: durationFlag(values['idle-timeout'], '--idle-timeout'),
      retry: {
        retries: parseIntegerFlag(values.retries, '--retries'),
        maxElapsed: maxTime,
        maxRetryAfter: durationFlag(values['max-retry-after'], '--max-retry-after'),
        retryNonIdempotent: values['retry-non-idempotent'],
        ...(maxDelay !== undefined ? { maxDelay, minDelay: Math.min(1000, maxDelay) } : {}),
      },
    });
    // --max-time covers the body too: one deadline over everything, not only the attempts.
    const deadline = new AbortController();
    const onAbort = (): void => deadline.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    // 100ms after --max-time: until the headers the retry loop's own deadline (maxElapsed) ends first, with the attempt history.
    const timer = maxTime === undefined ? undefined : setTimeout(() => deadline.abort(new Error('--max-time')), maxTime + 100);
    const started = performance.now();
    const request = { ...options, signal: deadline.signal };
    try {
      // The body goes to the file or to stdout in bounded memory (a plain http GET straight from the socket).
      const toFile = values.output !== undefined;
      const res = await client.download(url, toFile ? values.output! : stdout, {
        ...request,
        method,
        onHeaders: (head) => {
          if (values.include && !toFile) stdout.write(statusLine(head.status, head.headers));
        },
      });
      if (values.include && toFile) stdout.write(statusLine(res.status, res.headers));
      const summary = { bytes: res.bytes, resumes: res.resumes, restarts: res.restarts, attempts: res.attempts };
      logger.info(`${method} ${res.url} answered ${res.status}`, { status: res.status, ...summary, elapsed: formatDuration(performance.now() - started) });
      return 0;
    } catch (error) {
      if (signal.aborted || (error as { code?: string }).code === 'USAGE') throw error;
      // The retry loop's own deadline error (maxElapsed) says more when it came first.
      const timedOut = deadline.signal.aborted && (error as { code?: string }).code !== 'HTTP_RETRY_EXHAUSTED';
      const failure = cliFailure(error);
      if (failure.statusError && values['fail-with-body']) {
        if (values.include) stdout.write(statusLine(failure.statusError.status, failure.statusError.headers));
        const { writeFile } = await import('node:fs/promises');
        if (values.output !== undefined) await writeFile(values.output, failure.statusError.body);
        else stdout.write(failure.statusError.body);
      }
      if (failure.attempts.length) logger.info('attempts', { attempts: describeAttempts(failure.attempts) });
      const line = timedOut ? `HTTP_MAX_TIME: ${method} ${redactUrl(url)} did not finish within --max-time ${formatDuration(maxTime ?? 0)}` : formatErrorLine(error);
      stderr.write(`resilient-http: ${line}\n`);
      return timedOut ? 3 : failure.exitCode;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  },
  { name: 'resilient-http', version: () => readPackageVersion(new URL('../package.json', import.meta.url)) },
);
