import { basename, dirname, join } from 'node:path';
import { readTextIfExists } from '../read-text-if-exists.js';
import { cleanPath } from './ignore-pattern.js';

/**
 * Parses `.dockerignore` text as the docker CLI does: `#` comments, blank lines, a UTF-8 BOM,
 * surrounding spaces dropped; paths cleaned and made relative (`/a` -> `a`), `!` kept.
 */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const raw of lines) {
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

/** Where the ignore rules came from and what they say. */
export interface DockerignoreFile {
  /** Absolute path of the file read, or undefined when there is none. */
  readonly path: string | undefined;
  /** Raw text, when a file was read. */
  readonly text: string | undefined;
  readonly patterns: string[];
}

/**
 * Reads `<Dockerfile>.dockerignore` beside the Dockerfile when it exists (it wins), else
 * `<context>/.dockerignore`.
 */
export async function readDockerignore(contextDir: string, dockerfilePath: string): Promise<DockerignoreFile> {
  return readDockerignoreSync(contextDir, dockerfilePath);
}

/** `readDockerignore`, synchronously (small files: the packer's start-up). */
export function readDockerignoreSync(contextDir: string, dockerfilePath: string): DockerignoreFile {
  const specific = join(dirname(dockerfilePath), `${basename(dockerfilePath)}.dockerignore`);
  const specificText = readTextIfExists(specific);
  if (specificText !== undefined) return { path: specific, text: specificText, patterns: parseDockerignore(specificText) };
  const general = join(contextDir, '.dockerignore');
  const text = readTextIfExists(general);
  return { path: text === undefined ? undefined : general, text, patterns: text === undefined ? [] : parseDockerignore(text) };
}
