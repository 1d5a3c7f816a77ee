import { expect, test } from '@jest/globals';
import { listStages } from '../dockerfile/base-images.js';
import { parseDockerfile } from '../dockerfile/parse-dockerfile.js';
import { mayPullBeyondStages } from './session-needed.js';

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
