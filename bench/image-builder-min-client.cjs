// The floor of a Node client for the image-builder CLI rows: a bare CommonJS script (no ESM
// loader) making HTTP/1.1 requests on node:net (not node:http), with nothing else: no flags,
// checks, timeouts, credentials, output rules or error reporting. What image-builder spends
// above it is the CLI's own; what it spends above the docker CLI is Node's.
//   node image-builder-min-client.cjs build <socket> <context dir> <tag>
//     the docker CLI's requests: HEAD /_ping, POST /build (a one-file context)
//   node image-builder-min-client.cjs push <socket> <registry host:port>/<name>:<tag>
//     image-builder's requests: GET /images/{tag}/json, POST /images/{name}/push, then the
//     registry's manifest HEAD (the digest check)
//   node image-builder-min-client.cjs docker-push <socket> <registry host:port>/<name>:<tag>
//     the docker CLI's requests: HEAD /_ping, POST /images/{name}/push
'use strict';
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
const { readFileSync } = require('node:fs');
const { connect } = require('node:net');

const [mode, socketPath, ...args] = process.argv.slice(2);

/** One request with Connection: close; resolves with the whole answer (headers and raw body). */
function call(target, head, body) {
  return new Promise((resolve, reject) => {
    const socket = target.path ? connect(target.path) : connect(target.port, target.host);
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.write(body ? Buffer.concat([Buffer.from(head), body]) : head);
  });
}

const request = (method, path, headers = '') => `${method} ${path} HTTP/1.1\r\nHost: docker\r\n${headers}Connection: close\r\n\r\n`;

/** A ustar archive holding one file. */
function tarOf(name, body) {
  const header = Buffer.alloc(512);
  header.write(name);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\u000000', 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512), Buffer.alloc(1024)]);
}

function splitRef(ref) {
  const slash = ref.indexOf('/');
  const colon = ref.lastIndexOf(':');
  return [ref.slice(0, slash), ref.slice(slash + 1, colon), ref.slice(colon + 1)];
}

async function main() {
  const engine = { path: socketPath };
  if (mode === 'build') {
    const [context, tag] = args;
    const ping = call(engine, request('HEAD', '/_ping'));
    const tar = tarOf('Dockerfile', readFileSync(`${context}/Dockerfile`));
    await ping;
    const out = await call(engine, request('POST', `/build?t=${encodeURIComponent(tag)}&dockerfile=Dockerfile`, `Content-Type: application/x-tar\r\nContent-Length: ${tar.length}\r\n`), tar);
    process.stderr.write(out.match(/"stream":"[^"]*"/g)?.join('\n') ?? '');
  } else if (mode === 'push' || mode === 'docker-push') {
    const [ref] = args;
    const [registry, name, tag] = splitRef(ref);
    const first = mode === 'push' ? call(engine, request('GET', `/images/${ref}/json`)) : call(engine, request('HEAD', '/_ping'));
    const image = await first;
    const out = await call(engine, request('POST', `/images/${registry}/${name}/push?tag=${tag}`, 'X-Registry-Auth: e30=\r\nContent-Length: 0\r\n'));
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(out)?.[1];
    if (mode === 'push') {
      const [host, port] = registry.split(':');
      await call({ host, port: Number(port) }, request('HEAD', `/v2/${name}/manifests/${tag}`, 'Accept: application/vnd.docker.distribution.manifest.v2+json\r\n'));
      process.stdout.write(`${/"Id":"([^"]+)"/.exec(image)?.[1]}\n`);
    }
    process.stdout.write(`${ref}@${digest}\n`);
  } else {
    process.stderr.write('usage: image-builder-min-client.cjs build|push|docker-push ...\n');
    process.exitCode = 2;
  }
}

main();
