import { writeFileSync, mkdirSync } from 'node:fs';
import { startDockerd } from '@ops/testkit/docker';
const d = await startDockerd();
mkdirSync('/tmp/s10/ib/trivial', { recursive: true });
writeFileSync('/tmp/s10/ib/trivial/Dockerfile', `FROM ${d.baseImage}\nCMD ["sh"]\n`);
writeFileSync('/tmp/s10/ib/env', `export DOCKER_HOST=${d.dockerHost}\nexport DOCKER_CLI=${d.dockerCli ?? 'docker'}\n`);
console.log('ready', d.dockerHost);
await new Promise((r) => setTimeout(r, 50 * 60 * 1000));
await d.stop();
