import { writeFileAtomic } from '@ops/core';
import type { PushResult, TagResult } from '../push/push-result.js';
import { writeGitHubOutputs } from './github-actions.js';

/** What a command did: image and, when it pushed, every tag's result. */
export interface CommandSummary {
  readonly imageId: string | null;
  readonly tags: readonly string[];
  readonly pushed: PushResult | undefined;
  readonly durationMs: number;
}

export interface ResultTargets {
  readonly format: 'text' | 'json';
  readonly stdout: NodeJS.WritableStream;
  /** `--digest-file`: one line per tag. */
  readonly digestFile?: string;
  /** The `GITHUB_OUTPUT` file, when writing GitHub outputs. */
  readonly github?: string;
}

const flat = (s: string) => s.replace(/[\r\n\t]+/g, ' ');

/**
 * Writes the summary where it was asked for, also after a failure (partial results are results):
 * stdout (text or JSON with `results`), the digest file (`TAG\tpushed\tDIGEST` or
 * `TAG\tfailed\tCODE: message`) and GitHub outputs (imageid, digest, tags, digests, results).
 */
export async function writeResults(summary: CommandSummary, to: ResultTargets): Promise<void> {
  const results: readonly TagResult[] = summary.pushed?.results ?? [];
  const digests = summary.pushed?.digests ?? {};
  if (to.format === 'json') {
    to.stdout.write(`${JSON.stringify({ imageId: summary.imageId, tags: summary.tags, digests, results, durationMs: summary.durationMs })}\n`);
  } else {
    let text = summary.imageId ? `${summary.imageId}\n` : '';
    for (const tag of summary.tags) {
      const r = results.find((x) => x.tag === tag);
      text += r?.status === 'pushed' ? `${tag}@${r.digest}\n` : r ? `${tag} failed: ${flat(r.error?.code ?? '')}\n` : `${tag}\n`;
    }
    to.stdout.write(text);
  }
  if (to.digestFile && summary.pushed) {
    const lines = results.map((r) => (r.status === 'pushed' ? `${r.tag}\tpushed\t${r.digest}` : `${r.tag}\tfailed\t${flat(`${r.error?.code}: ${r.error?.message}`)}`));
    await writeFileAtomic(to.digestFile, `${lines.join('\n')}\n`);
  }
  if (to.github) {
    const first = results.find((r) => r.status === 'pushed')?.digest;
    await writeGitHubOutputs({
      imageid: summary.imageId ?? '',
      digest: first ?? '',
      tags: summary.tags.join('\n'),
      digests: JSON.stringify(digests),
      results: JSON.stringify(results),
      'failed-tags': results.filter((r) => r.status === 'failed').map((r) => r.tag).join('\n'),
    }, { GITHUB_OUTPUT: to.github });
  }
}
