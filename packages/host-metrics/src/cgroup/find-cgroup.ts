import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcFile } from '../proc/read-proc-file.js';

/** Where one process's cgroup lives: the v2 directory, or the v1 memory and cpu controller directories. */
export interface CgroupLocation {
  readonly version: 1 | 2;
  /** The cgroup path as /proc/self/cgroup (or `--cgroup`) names it, e.g. `/kubepods/pod1/abc`. */
  readonly path: string;
  /** Directory of the memory controller's files (the cgroup directory on v2). */
  readonly memoryDir: string;
  /** Directory of the cpu controller's files (the cgroup directory on v2). */
  readonly cpuDir: string;
  /** Directory of cpuacct.usage on v1 (the cgroup directory on v2). */
  readonly cpuacctDir: string;
}

/** Paths per v1 controller and the v2 path, from /proc/<pid>/cgroup text. */
export function parseProcCgroup(text: string): { v2?: string; v1: Map<string, string> } {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') v2 = m[3];
    else for (const controller of m[2]!.split(',')) v1.set(controller, m[3]!);
  }
  return { v2, v1 };
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/**
 * The agent's own cgroup (or `explicitPath`) under `cgroupRoot`: v2 when the root holds
 * `cgroup.controllers` (unified), else v1 with `memory/`, `cpu/` and `cpuacct/` hierarchies.
 * In a container with its own cgroup namespace the path is `/` and the root is the container's
 * cgroup; a path that does not exist under the root (no cgroup namespace, a bind-mounted
 * cgroupfs) falls back to the root itself. Undefined when no cgroupfs is mounted there.
 */
export async function findCgroup(cgroupRoot: string, procRoot: string, explicitPath?: string, signal?: AbortSignal): Promise<CgroupLocation | undefined> {
  const unified = await exists(join(cgroupRoot, 'cgroup.controllers'));
  const own = explicitPath === undefined ? parseProcCgroup(await readProcFile(join(procRoot, 'self/cgroup'), signal)) : undefined;
  const dirFor = async (base: string, path: string | undefined) => {
    const candidate = join(base, path ?? '/');
    return (await exists(candidate)) ? candidate : base;
  };
  if (unified) {
    const path = explicitPath ?? own?.v2 ?? '/';
    const dir = await dirFor(cgroupRoot, path);
    return { version: 2, path, memoryDir: dir, cpuDir: dir, cpuacctDir: dir };
  }
  const memoryBase = join(cgroupRoot, 'memory');
  if (!(await exists(memoryBase))) return undefined;
  const cpuBase = (await exists(join(cgroupRoot, 'cpu'))) ? join(cgroupRoot, 'cpu') : join(cgroupRoot, 'cpu,cpuacct');
  const cpuacctBase = (await exists(join(cgroupRoot, 'cpuacct'))) ? join(cgroupRoot, 'cpuacct') : cpuBase;
  const path = explicitPath ?? own?.v1.get('memory') ?? '/';
  return {
    version: 1,
    path,
    memoryDir: await dirFor(memoryBase, path),
    cpuDir: await dirFor(cpuBase, explicitPath ?? own?.v1.get('cpu') ?? path),
    cpuacctDir: await dirFor(cpuacctBase, explicitPath ?? own?.v1.get('cpuacct') ?? path),
  };
}
