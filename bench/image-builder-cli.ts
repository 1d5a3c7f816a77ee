// The image-builder CLI beside the docker CLI, process against process, on the same dockerd:
// a trivial build, a push of a pushed image, a build printing 100,000 lines, and a 700 MB
// context (time and peak RSS from /usr/bin/time). Same builder on both sides (classic: the
// docker CLI here has no buildx, so DOCKER_BUILDKIT=0). Variants alternate; medians are kept.
import { execFile } from 'node:child_process';
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestDockerd } from '@ops/testkit/docker';
import type { TestRegistry } from '@ops/testkit/registry';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../packages/image-builder/dist/cli.js');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a command under /usr/bin/time: wall ms and peak RSS in MB. */
async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number }> {
  const start = performance.now();
  const { stderr } = await run('/usr/bin/time', ['-f', 'MAXRSS=%M', 'sh', '-c', '"$@" > /dev/null 2>/dev/null', 'sh', cmd, ...args], { env, maxBuffer: 1 << 26 });
  const ms = performance.now() - start;
  const rss = Number(/MAXRSS=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
  return { ms, rssMb: rss };
}

interface Case { name: string; rounds: number; docker: string[]; ours: string[]; goal?: number; goalRssMb?: number; ourCmd?: string }

export async function cliBeside(dockerd: TestDockerd, registry: TestRegistry, dir: string): Promise<string[]> {
  const env = { ...process.env, DOCKER_HOST: dockerd.dockerHost, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: dir };
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
  await run(cli, ['build', '-q', '-t', tag, trivial], { env });
  await run(cli, ['push', '-q', tag], { env });
  const cases: Case[] = [
    { name: 'trivial build (`FROM busybox` + `CMD`, cached)', rounds: 7, goal: 1.2, docker: ['build', '-t', 'bench/t:1', trivial], ours: [CLI, 'build', '--context', trivial, '--tag', 'bench/t:1', '--builder', 'classic', '--no-oci-labels'] },
    { name: 'push (layers already in the registry)', rounds: 7, goal: 2, docker: ['push', tag], ours: [CLI, 'push', '--tag', tag] },
    { name: 'build printing 100,000 lines (--no-cache)', rounds: 3, goal: 1.2, docker: ['build', '--no-cache', '-t', 'bench/c:1', chatty], ours: [CLI, 'build', '--context', chatty, '--tag', 'bench/c:1', '--builder', 'classic', '--no-oci-labels', '--no-cache'] },
    { name: '700 MB context (--no-cache)', rounds: 3, goal: 1.1, goalRssMb: 80, docker: ['build', '--no-cache', '-t', 'bench/b:1', big], ours: [CLI, 'build', '--context', big, '--tag', 'bench/b:1', '--builder', 'classic', '--no-oci-labels', '--no-cache'] },
    // The floor under any Node CLI: Node's own start-up against the Go binary's, same rounds.
    { name: 'start-up alone (`node -e 0` against `docker --version`)', rounds: 7, docker: ['--version'], ours: ['-e', '0'] },
  ];
  const rows: string[] = [];
  for (const c of cases) {
    const d: Array<{ ms: number; rssMb: number }> = [];
    const o: Array<{ ms: number; rssMb: number }> = [];
    for (let r = 0; r < c.rounds; r++) {
      if (r % 2) {
        o.push(await measure(process.execPath, c.ours, env));
        d.push(await measure(cli, c.docker, env));
      } else {
        d.push(await measure(cli, c.docker, env));
        o.push(await measure(process.execPath, c.ours, env));
      }
    }
    const dm = median(d.map((x) => x.ms));
    const om = median(o.map((x) => x.ms));
    const dr = Math.max(...d.map((x) => x.rssMb));
    const or = Math.max(...o.map((x) => x.rssMb));
    const met = c.goal === undefined ? 'floor' : om / dm <= c.goal && (c.goalRssMb === undefined || or <= c.goalRssMb) ? 'met' : 'NOT met';
    rows.push(`| ${c.name} | ${Math.round(dm)} ms | ${Math.round(om)} ms | ${(om / dm).toFixed(2)}x | ${dr.toFixed(0)} MB | ${or.toFixed(0)} MB | ${c.goal === undefined ? '-' : `<= ${c.goal}x${c.goalRssMb ? `, <= ${c.goalRssMb} MB` : ''}: ${met}`} |`);
  }
  return [
    '| case (CLI process against CLI process) | `docker` | `image-builder` | time ratio | docker peak RSS | image-builder peak RSS | goal |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ];
}
