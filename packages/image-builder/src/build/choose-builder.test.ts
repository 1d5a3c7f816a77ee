import { parseDockerfile } from '../dockerfile/parse-dockerfile.js';
import type { EngineInfo } from '../engine/engine-info.js';
import { chooseBuilder } from './choose-builder.js';

const modern: EngineInfo = { apiVersion: '1.45', version: '26.1.0', os: 'linux', buildkit: true };
const old: EngineInfo = { apiVersion: '1.41', version: '20.10.24', os: 'linux', buildkit: true };
const windows: EngineInfo = { apiVersion: '1.41', version: '20.10.9', os: 'windows', buildkit: false };
const choose = (engine: EngineInfo, text: string, builder: 'auto' | 'buildkit' | 'classic' = 'auto', extra: { readonly secrets?: readonly unknown[]; readonly ssh?: readonly unknown[] } = {}) =>
  chooseBuilder(engine, parseDockerfile(text), { builder, secrets: extra.secrets ?? [], ssh: extra.ssh ?? [], dockerfileName: 'Dockerfile' });

describe('chooseBuilder', () => {
  test.each([
    ['auto on a BuildKit daemon', modern, 'FROM x\n', 'auto', 'buildkit'],
    ['auto without BuildKit', windows, 'FROM x\n', 'auto', 'classic'],
    ['classic when asked', modern, 'FROM x\n', 'classic', 'classic'],
    ['heredocs on Docker 23+', modern, 'FROM x\nRUN <<EOF\necho\nEOF\n', 'auto', 'buildkit'],
    ['heredocs on an old daemon with # syntax= (the daemon pulls that frontend)', old, '# syntax=docker/dockerfile:1.4\nFROM x\nRUN <<EOF\necho\nEOF\n', 'auto', 'buildkit'],
  ] as const)('%s', (_name, engine, text, builder, expected) => {
    expect(choose(engine, text, builder).builder).toBe(expected);
  });

  test.each([
    ['RUN --mount with classic', modern, 'FROM x\nRUN --mount=type=cache,target=/c make\n', 'classic', {}, /RUN --mount \(Dockerfile:2\) needs BuildKit, which is not available with --builder classic/],
    ['RUN --mount without BuildKit', windows, 'FROM x\nRUN --mount=type=cache,target=/c make\n', 'auto', {}, /not available on this daemon \(Docker 20\.10\.9, no BuildKit\)/],
    ['--secret with classic', modern, 'FROM x\n', 'classic', { secrets: [{}] }, /--secret needs BuildKit/],
    ['--ssh with classic', modern, 'FROM x\n', 'classic', { ssh: ['default'] }, /--ssh needs BuildKit/],
    ['buildkit asked, none there', windows, 'FROM x\n', 'buildkit', {}, /has no BuildKit/],
    ['a heredoc on the built-in frontend of 20.10', old, 'FROM x\nCOPY <<EOF /a\nhi\nEOF\n', 'auto', {}, /heredoc \(Dockerfile:2\) needs Dockerfile frontend 1\.4/],
  ] as const)('refused before sending anything: %s', (_name, engine, text, builder, extra, message) => {
    expect(() => choose(engine, text, builder, extra)).toThrow(expect.objectContaining({ code: 'IMAGE_FEATURE_UNSUPPORTED', exitCode: 2, message: expect.stringMatching(message) }));
  });

  test('the classic builder warns that it ignores # syntax=', () => {
    expect(choose(modern, '# syntax=docker/dockerfile:1\nFROM x\n', 'classic').warnings).toEqual([expect.stringMatching(/ignores the "# syntax=docker\/dockerfile:1" directive/)]);
  });
});
