import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureDebianPackages } from './debian-packages.js';

const run = promisify(execFile);

/** Debian packages the mock cluster program needs to compile: librdkafka's headers and a C compiler. */
export const KAFKA_MOCK_DEBIAN_PACKAGES = ['librdkafka-dev', 'gcc', 'libc6-dev'] as const;

/**
 * librdkafka's mock cluster (`rdkafka_mock.h`) in a small program: it prints the bootstrap
 * servers on stdout, then answers one line per command read on stdin, and exits when stdin
 * closes (so it never outlives the process that started it).
 *   topic NAME PARTITIONS REPLICAS   -> creates a topic
 *   errors APIKEY ERR [ERR...]       -> the next requests of that API fail with these codes
 */
export const KAFKA_MOCK_SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

int main(int argc, char **argv) {
  char err[512], line[4096];
  int brokers = argc > 1 ? atoi(argv[1]) : 3;
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err) != RD_KAFKA_CONF_OK) { fprintf(stderr, "%s\n", err); return 1; }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", err); return 1; }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) { fprintf(stderr, "rd_kafka_mock_cluster_new failed\n"); return 1; }
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);
  while (fgets(line, sizeof line, stdin)) {
    char name[512];
    int partitions, replicas, apikey, used;
    if (sscanf(line, "topic %511s %d %d", name, &partitions, &replicas) == 3) {
      rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, name, partitions, replicas);
      printf("%s\n", e ? rd_kafka_err2str(e) : "ok");
    } else if (sscanf(line, "errors %d%n", &apikey, &used) == 1) {
      rd_kafka_resp_err_t codes[64];
      size_t n = 0;
      char *p = line + used, *end;
      for (long v = strtol(p, &end, 10); end != p && n < 64; v = strtol(p, &end, 10)) { codes[n++] = (rd_kafka_resp_err_t)v; p = end; }
      rd_kafka_mock_push_request_errors_array(mc, (int16_t)apikey, n, codes);
      printf("ok\n");
    } else {
      printf("unknown command\n");
    }
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
`;

let compiled: Promise<string> | undefined;

/**
 * Path of the compiled mock cluster program: compiled once per source text into the user's cache
 * directory ($XDG_CACHE_HOME/ops-testkit, default ~/.cache/ops-testkit; not TMPDIR, which each
 * test run gets fresh and must leave empty), shared by parallel test workers (written under a
 * unique name, then renamed), installing the Debian packages first when they are missing (as root).
 */
export function kafkaMockProgram(): Promise<string> {
  compiled ??= compile().catch((error: unknown) => {
    compiled = undefined;
    throw error;
  });
  return compiled;
}

async function compile(): Promise<string> {
  const hash = createHash('sha256').update(KAFKA_MOCK_SOURCE).digest('hex').slice(0, 16);
  const dir = join(cacheDir(), `kafka-mock-${hash}`);
  const program = join(dir, 'kafka-mock-cluster');
  if (existsSync(program)) return program;
  await ensureDebianPackages(KAFKA_MOCK_DEBIAN_PACKAGES);
  mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const source = join(dir, `kafka-mock-cluster-${unique}.c`);
  writeFileSync(source, KAFKA_MOCK_SOURCE);
  try {
    await run('cc', ['-O2', '-o', `${program}.${unique}`, source, '-lrdkafka']);
  } catch (error) {
    rmSync(`${program}.${unique}`, { force: true });
    throw new Error(`compiling the librdkafka mock cluster failed (is librdkafka-dev installed?): ${(error as { stderr?: string }).stderr ?? String(error)}`);
  } finally {
    rmSync(source, { force: true });
  }
  renameSync(`${program}.${unique}`, program);
  return program;
}

function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ops-testkit');
}
