import { expect, test } from '@jest/globals';
import { listStages } from '../dockerfile/base-images.js';
import { parseDockerfile } from '../dockerfile/parse-dockerfile.js';
import { BuildError } from '../errors/build-error.js';
import { mayPullBeyondStages, wantedSessionAfterAll } from './session-needed.js';

const pulls = (text: string) => {
  const info = parseDockerfile(text);
  return mayPullBeyondStages(info, listStages(info));
};

test.each([
  ['FROM busybox\nCMD ["sh"]\n', false],
  ['FROM busybox AS build\nRUN make\nFROM scratch\nCOPY --from=build /out /\n', false],
  ['FROM busybox AS Build\nFROM scratch\nCOPY --from=build /out /\n', false],
  ['FROM busybox\nFROM scratch\nCOPY --from=0 /bin/sh /sh\n', false],
  ['FROM busybox\nCOPY --from=alpine:3.20 /etc/os-release /\n', true],
  ['FROM busybox\nADD --from=registry.example/tools:1 /x /x\n', true],
  ['FROM busybox\nCOPY --chown=1:1 --from="alpine" /a /a\n', true],
  ['FROM busybox\nRUN --mount=type=cache,target=/root/.cache make\n', false],
  ['FROM busybox AS deps\nFROM busybox\nRUN --mount=type=bind,from=deps,target=/deps ls /deps\n', false],
  ['FROM busybox\nRUN --mount=type=bind,from=golang:1.22,source=/usr/local/go,target=/go ls\n', true],
  ['FROM --platform=linux/arm64 busybox\n', true],
  ['FROM busybox\nONBUILD COPY --from=alpine / /\n', true],
])('%j pulls beyond its stages: %s', (text, expected) => {
  expect(pulls(text)).toBe(expected);
});

test('a build without a session that failed for want of one is built again with one; no other failure is', () => {
  const failure = { step: '[internal] load metadata for ghcr.io/o/base:1', lastLines: [], daemonMessage: undefined, exitStatus: undefined };
  const noSession = new BuildError('IMAGE_BUILD_FAILED', 'build failed at [internal] load metadata for ghcr.io/o/base:1: failed to solve with frontend dockerfile.v0: failed to create LLB definition: no active sessions', failure);
  expect(wantedSessionAfterAll(noSession, true)).toBe(true);
  expect(wantedSessionAfterAll(noSession, false)).toBe(false); // it had one: nothing to retry
  expect(wantedSessionAfterAll(new BuildError('IMAGE_BUILD_FAILED', 'build failed at [2/2] RUN make: exit code 2', { ...failure, exitStatus: 2 }), true)).toBe(false);
  expect(wantedSessionAfterAll(new BuildError('IMAGE_PULL_UNAUTHORIZED', 'pull access denied: no active sessions', failure), true)).toBe(false);
  expect(wantedSessionAfterAll(new Error('no active sessions'), true)).toBe(false);
});
