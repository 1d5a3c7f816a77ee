// The image-builder CLI beside the docker CLI, process against process, on the same dockerd:
// a trivial build, a push of a pushed image, a build printing 100,000 lines, and a 700 MB
// context. Same builder on both sides (classic: the docker CLI here has no buildx, so
// DOCKER_BUILDKIT=0). Each process is run by a few lines of Python that wait for it with
// wait4(): wall time, CPU time (user + sys, all threads) and peak RSS, exact to the
// microsecond (GNU time rounds CPU to 10 ms, a tenth of a short run). Variants alternate after
// a warm-up round; medians are kept. The machine is shared: CPU time is the figure that other
// jobs disturb least, the load average is printed beside the figures.
import { execFile } from 'node:child_process';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestDockerd } from '@ops/testkit/docker';
import type { TestRegistry } from '@ops/testkit/registry';
import { withoutExtraCa } from './machine.js';

const run = promisify(execFile);
// The bin users run (`pnpm exec image-builder`): it runs dist/cli.cjs, the bundled command.
const CLI = resolve(import.meta.dirname, '../packages/image-builder/bin/image-builder.js');
const BARE = resolve(import.meta.dirname, 'image-builder-min-client.cjs');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Runs argv with stdout and stderr on /dev/null; prints wall ms, CPU ms (user + sys of the
// process and its threads and children) and peak RSS in KiB.
const RUSAGE = `
import os, sys, time, json
null = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
_, status, ru = os.wait4(pid, 0)
wall = (time.perf_counter() - start) * 1000
print(json.dumps({"wallMs": wall, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000, "rssKb": ru.ru_maxrss, "status": status}))
`;

interface Sample { wallMs: number; cpuMs: number; rssMb: number }

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  const { stdout } = await run('python3', ['-c', RUSAGE, cmd, ...args], { env });
  const r = JSON.parse(stdout) as { wallMs: number; cpuMs: number; rssKb: number; status: number };
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (wait status ${r.status})`);
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, rssMb: r.rssKb / 1024 };
}

interface Case {
  /** Short name for IMAGE_BUILDER_BENCH_CASES. */
  readonly key: string;
  readonly name: string;
  readonly rounds: number;
  readonly docker: string[];
  readonly ours: string[];
  readonly goal?: number;
  readonly goalRssMb?: number;
  /** Environment of our side, when it differs. */
  readonly ourEnv?: NodeJS.ProcessEnv;
}

interface Row { name: string; docker: Sample; ours: Sample; dockerRss: number; ourRss: number; goal?: number; goalRssMb?: number }

export async function cliBeside(dockerd: TestDockerd, registry: TestRegistry, dir: string): Promise<string[]> {
  const machineEnv = { ...process.env, DOCKER_HOST: dockerd.dockerHost, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: dir };
  const env = withoutExtraCa(machineEnv);
  const cli = dockerd.dockerCli ?? 'docker';
  const trivial = join(dir, 'trivial');
  mkdirSync(trivial);
  writeFileSync(join(trivial, 'Dockerfile'), `FROM ${dockerd.baseImage}\nCMD ["sh"]\n`);
  const chatty = join(dir, 'chatty');
  mkdirSync(chatty);
  writeFileSync(join(chatty, 'Dockerfile'), `FROM ${dockerd.baseImage}\nRUN i=0; while [ $i -lt 100000 ]; do echo "build output line $i of the chatty step"; i=$((i+1)); done\n`);
  const big = join(dir, 'big');
  mkdirSync(big);
  writeFileSync(join(big, 'Dockerfile'), `FROM ${dockerd.baseImage}\nCMD ["sh"]\n`);
  const chunk = Buffer.alloc(1 << 20);
  for (let f = 0; f < 7; f++) {
    const fd = openSync(join(big, `blob${f}.bin`), 'w');
    for (let i = 0; i < 100; i++) {
      chunk.fill(f * 31 + i);
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
  const tag = `${registry.address}/bench/app:1`;
  const socket = dockerd.dockerHost.replace(/^unix:\/\//, '');
  await run(cli, ['build', '-q', '-t', tag, trivial], { env });
  await run(cli, ['push', '-q', tag], { env });
  // Each CLI as a user runs it: image-builder's default builder on this daemon is BuildKit
  // (through the Engine API, no session needed for a base image the engine has), the docker CLI's
  // is the legacy builder (no buildx here); the same builder on both sides is the next row.
  const trivialOurs = [CLI, 'build', '--context', trivial, '--tag', 'bench/t:1'];
  const cases: Case[] = [
    { key: 'trivial', name: 'trivial build (`FROM busybox` + `CMD`, cached), each CLI as a user runs it (`image-builder build --context D --tag T`: BuildKit, the default where the daemon has it; `docker build -t T D`: the legacy builder, its default without buildx)', rounds: 9, goal: 1.2, docker: ['build', '-t', 'bench/t:1', trivial], ours: trivialOurs },
    { key: 'trivial-classic', name: 'trivial build, the classic builder on both sides (`image-builder --builder classic --no-oci-labels`; not the goal row)', rounds: 9, docker: ['build', '-t', 'bench/t:1', trivial], ours: [CLI, 'build', '--context', trivial, '--tag', 'bench/t:1', '--builder', 'classic', '--no-oci-labels'] },
    { key: 'push', name: 'push (layers already in the registry)', rounds: 9, goal: 2, docker: ['push', tag], ours: [CLI, 'push', '--tag', tag] },
    { key: 'chatty', name: 'build printing 100,000 lines (--no-cache)', rounds: 5, goal: 1.2, docker: ['build', '--no-cache', '-t', 'bench/c:1', chatty], ours: [CLI, 'build', '--context', chatty, '--tag', 'bench/c:1', '--builder', 'classic', '--no-oci-labels', '--no-cache'] },
    { key: 'big', name: '700 MB context (--no-cache)', rounds: 3, goal: 1.1, goalRssMb: 80, docker: ['build', '--no-cache', '-t', 'bench/b:1', big], ours: [CLI, 'build', '--context', big, '--tag', 'bench/b:1', '--builder', 'classic', '--no-oci-labels', '--no-cache'] },
    // The floor under any Node CLI: Node's own start-up against the Go binary's, same rounds.
    { key: 'startup', name: 'start-up alone (`node -e 0` against `docker --version`)', rounds: 9, docker: ['--version'], ours: ['-e', '0'] },
    // The floor of a Node client for the two short cases: a bare CommonJS script on node:net
    // making the same requests (for the build, those of the docker CLI too).
    { key: 'trivial-bare', name: 'trivial build: a bare Node client making the classic row\'s requests, those of the docker CLI (`image-builder-min-client.cjs`: CommonJS, node:net)', rounds: 9, docker: ['build', '-t', 'bench/t:1', trivial], ours: [BARE, 'build', socket, trivial, 'bench/t:1'] },
    { key: 'push-bare', name: 'push: the bare Node client making image-builder\'s requests (image inspect, push, registry manifest HEAD)', rounds: 9, docker: ['push', tag], ours: [BARE, 'push', socket, tag] },
    { key: 'docker-push-bare', name: 'push: the bare Node client making only the docker CLI\'s requests (ping, push)', rounds: 9, docker: ['push', tag], ours: [BARE, 'docker-push', socket, tag] },
    { key: 'trivial-ca', name: 'trivial build with this machine\'s NODE_EXTRA_CA_CERTS (not a goal row)', rounds: 9, docker: ['build', '-t', 'bench/t:1', trivial], ours: trivialOurs, ourEnv: machineEnv },
    { key: 'startup-ca', name: 'start-up alone with this machine\'s NODE_EXTRA_CA_CERTS', rounds: 9, docker: ['--version'], ours: ['-e', '0'], ourEnv: machineEnv },
  ];
  // IMAGE_BUILDER_BENCH_CASES=trivial,startup,trivial-bare runs only those cases (while working on one).
  const only = process.env.IMAGE_BUILDER_BENCH_CASES?.split(',');
  const loadBefore = loadavg()[0]!;
  const rows: Row[] = [];
  for (const c of cases.filter((k) => !only || only.includes(k.key))) {
    const d: Sample[] = [];
    const o: Sample[] = [];
    const ours = () => measure(process.execPath, c.ours, c.ourEnv ?? env);
    const theirs = () => measure(cli, c.docker, env);
    // Warm-up: page cache, the daemon's caches, the first connection of each side.
    await theirs();
    await ours();
    for (let r = 0; r < c.rounds; r++) {
      if (r % 2) {
        o.push(await ours());
        d.push(await theirs());
      } else {
        d.push(await theirs());
        o.push(await ours());
      }
    }
    const med = (xs: Sample[]): Sample => ({ wallMs: median(xs.map((x) => x.wallMs)), cpuMs: median(xs.map((x) => x.cpuMs)), rssMb: 0 });
    rows.push({ name: c.name, docker: med(d), ours: med(o), dockerRss: Math.max(...d.map((x) => x.rssMb)), ourRss: Math.max(...o.map((x) => x.rssMb)), goal: c.goal, goalRssMb: c.goalRssMb });
  }
  const loadAfter = loadavg()[0]!;
  const floor = rows.find((r) => r.name.startsWith('start-up alone ('));
  const ms = (x: number) => `${Math.round(x)} ms`;
  const lines = rows.map((r) => {
    const ratio = r.ours.wallMs / r.docker.wallMs;
    const met = r.goal === undefined ? '-' : `<= ${r.goal}x${r.goalRssMb ? `, <= ${r.goalRssMb} MB` : ''}: ${ratio <= r.goal && (r.goalRssMb === undefined || r.ourRss <= r.goalRssMb) ? 'met' : 'NOT met'}`;
    return `| ${r.name} | ${ms(r.docker.wallMs)} | ${ms(r.ours.wallMs)} | ${ratio.toFixed(2)}x | ${ms(r.docker.cpuMs)} | ${ms(r.ours.cpuMs)} | ${(r.ours.cpuMs / r.docker.cpuMs).toFixed(2)}x | ${r.dockerRss.toFixed(0)} MB | ${r.ourRss.toFixed(0)} MB | ${met} |`;
  });
  // In CPU: the wall times of different rows also differ by the daemon's own time, which varies.
  const row = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
  const above = (r: Row | undefined, bare: Row | undefined) => (!r || !bare || !floor ? 'not run' : `docker ${ms(r.docker.cpuMs - floor.docker.cpuMs)}; image-builder ${ms(r.ours.cpuMs - floor.ours.cpuMs)}, of which the bare Node client making the same requests spends ${ms(bare.ours.cpuMs - floor.ours.cpuMs)} (node:net, its connections, the answers): the CLI's own is ${ms(r.ours.cpuMs - bare.ours.cpuMs)}`);
  return [
    `Load average (1 min) ${loadBefore.toFixed(1)} before these runs and ${loadAfter.toFixed(1)} after, on ${cpus().length} cores (other jobs running): compare the ratios, and the CPU columns, which the load disturbs least.`,
    '',
    '| case (CLI process against CLI process) | `docker` wall | `image-builder` wall | wall ratio | `docker` CPU | `image-builder` CPU | CPU ratio | docker peak RSS | image-builder peak RSS | goal (wall) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...lines,
    '',
    `CPU above each CLI's own start-up floor (the case minus \`docker --version\` for docker, minus \`node -e 0\` for image-builder), medians: trivial build, classic builder on both sides: ${above(row('trivial build, the classic'), row('trivial build: a bare'))}. Push: ${above(row('push ('), row('push: the bare Node client making image'))}.`,
  ];
}
