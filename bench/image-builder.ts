// @ops/image-builder beside the docker CLI, on the same private dockerd (testkit, busybox base):
// a context of 20,000 small files plus large ignored folders (node_modules with 20,000 files,
// a .cache with 200 MiB of blobs), built with a trivial Dockerfile (`FROM <busybox>` + `LABEL`)
// and --no-cache, so the time is that of sending the context: walked, filtered, tarred, sent and
// unpacked by the daemon (the legacy builder extracts the whole context before the first step).
// 1. build: buildImage() vs `docker build` (legacy builder, DOCKER_BUILDKIT=0).
// 2. packing alone: packContext() drained to nowhere (the part of the build that is ours).
// Variants alternate, and the median of ROUNDS rounds is kept. Each build of this context takes
// 10-45 s depending on the load of the (shared) machine, so ROUNDS defaults to 2.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildImage, createEngine, packContext } from '@ops/image-builder';
import { makeTempDir } from '@ops/testkit';
import { startDockerd } from '@ops/testkit/docker';
import { startRegistry } from '@ops/testkit/registry';
import { cliBeside } from './image-builder-cli.js';
import { machineLine } from './machine.js';

const run = promisify(execFile);
const ROUNDS = Number(process.env.IMAGE_BUILDER_BENCH_ROUNDS ?? 2);
const FILES = 20_000;

function makeContext(root: string, baseImage: string): void {
  writeFileSync(join(root, 'Dockerfile'), `FROM ${baseImage}\nLABEL bench=image-builder\n`);
  writeFileSync(join(root, '.dockerignore'), 'node_modules\n.cache\n**/*.log\n');
  const body = 'x'.repeat(200);
  for (let d = 0; d < FILES / 100; d++) {
    const dir = join(root, 'src', `mod${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file${f}.ts`), `// ${d}/${f}\n${body}\n`);
    writeFileSync(join(dir, 'debug.log'), 'ignored');
  }
  for (let d = 0; d < 200; d++) {
    const dir = join(root, 'node_modules', `pkg${d}`, 'lib');
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `index${f}.js`), body);
  }
  mkdirSync(join(root, '.cache'), { recursive: true });
  const blob = Buffer.alloc(20 * 1024 * 1024, 7);
  for (let i = 0; i < 10; i++) writeFileSync(join(root, '.cache', `blob${i}.bin`), blob);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export default async function bench(): Promise<string> {
  const dockerd = await startDockerd();
  const registry = await startRegistry();
  const dir = makeTempDir('ib-bench-');
  try {
    const cliRows = await cliBeside(dockerd, registry, dir.path);
    // IMAGE_BUILDER_BENCH_CASES (see image-builder-cli.ts): those CLI cases alone.
    if (process.env.IMAGE_BUILDER_BENCH_CASES) return ['## @ops/image-builder (CLI cases: ' + process.env.IMAGE_BUILDER_BENCH_CASES + ')', '', machineLine(), '', ...cliRows].join('\n');
    const ctx = join(dir.path, 'ctx');
    mkdirSync(ctx);
    makeContext(ctx, dockerd.baseImage);
    const docker = createEngine({ dockerHost: dockerd.dockerHost });
    const env = { ...process.env, DOCKER_HOST: dockerd.dockerHost, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: dir.path };
    const cli = dockerd.dockerCli ?? 'docker';
    const variants: Record<string, () => Promise<unknown>> = {
      'docker build (CLI)': () => run(cli, ['build', '--no-cache', '-q', '-t', 'bench/cli:1', ctx], { env, maxBuffer: 1 << 24 }),
      'image-builder buildImage()': () => buildImage({ context: ctx, tags: ['bench/ib:1'], noCache: true, ociLabels: false, docker }),
    };
    let bytes = 0;
    let entries = 0;
    const pack = async () => {
      const packed = await packContext(ctx);
      packed.stream.resume();
      ({ bytes, entries } = await packed.done);
    };
    await pack(); // warm-up: the page cache holds the files just written anyway
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const packTimes: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const names = Object.keys(variants);
      if (r % 2) names.reverse();
      for (const name of names) times[name]!.push(await time(variants[name]!));
      packTimes.push(await time(pack));
    }
    const cliMs = median(times['docker build (CLI)']!);
    const ibMs = median(times['image-builder buildImage()']!);
    const { stdout: cliVersion } = await run(cli, ['version', '--format', '{{.Client.Version}} / engine {{.Server.Version}}'], { env });
    const rows = [
      `| \`docker build\` (CLI ${cliVersion.trim()}, legacy builder) | ${Math.round(cliMs)} ms | 1.00x |`,
      `| \`buildImage()\` | ${Math.round(ibMs)} ms | ${(ibMs / cliMs).toFixed(2)}x |`,
      `| \`packContext()\` alone (tar of ${entries} entries, ${(bytes / 2 ** 20).toFixed(1)} MiB, drained) | ${Math.round(median(packTimes))} ms | ${(median(packTimes) / cliMs).toFixed(2)}x |`,
    ];
    return [
      '## @ops/image-builder',
      '',
      machineLine(),
      '',
      `Context: ${FILES.toLocaleString('en')} small source files sent, plus ignored folders (node_modules with 20,000 files, .cache with 200 MiB, ${FILES / 100} *.log files); Dockerfile \`FROM busybox\` + \`LABEL\`, \`--no-cache\` (so the time is that of sending and unpacking the context), same private dockerd (overlay2). Median of ${ROUNDS} alternating rounds; load average at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (shared with other jobs).`,
      '',
      '| variant | time | vs docker CLI |',
      '| --- | ---: | ---: |',
      ...rows,
      '',
      `Goal: buildImage() within 1.5x of the docker CLI: ${ibMs / cliMs <= 1.5 ? 'met' : 'NOT met'} (${(ibMs / cliMs).toFixed(2)}x).`,
      '',
      '### The CLIs side by side',
      '',
      `Each case runs \`docker\` (legacy builder, DOCKER_BUILDKIT=0: no buildx here) and \`image-builder\` as processes (the first row as each is run by default: image-builder then uses BuildKit, which this daemon has; every other build row with \`--builder classic\`, the same builder on both sides), one warm-up round then alternating rounds (9 for the short cases, 5 for the 100,000 lines, 3 for the 700 MB context), output to /dev/null; wall and CPU time (user + sys, from wait4) are medians, memory the highest peak RSS. The start-up rows are the floor: Node's own start-up beside the Go binary's, in the same conditions; a Node CLI cannot be faster than it. The cases run without this machine's NODE_EXTRA_CA_CERTS (a CI runner does not set it; with it every Node process parses 144 certificates before its first line): the last two rows show what it adds.`,
      '',
      ...cliRows,
    ].join('\n');
  } finally {
    await registry.stop();
    await dockerd.stop();
    dir.remove();
  }
}
