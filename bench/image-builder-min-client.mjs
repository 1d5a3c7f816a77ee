// The floor of a Node client for the image-builder CLI rows: the same Engine API and registry
// requests as `image-builder build` (cached, one-file context) or `image-builder push`, made by
// a bare script on node:http with nothing else (no flags, checks, timeouts, credentials, output
// rules or error reporting). What image-builder spends above it is the CLI's own.
//   node image-builder-min-client.mjs build <socket> <context dir> <tag>
//   node image-builder-min-client.mjs push <socket> <registry host:port>/<name>:<tag>
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const [mode, socketPath, ...args] = process.argv.slice(2);

function call(options, body) {
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end(body);
  });
}

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

if (mode === 'build') {
  const [context, tag] = args;
  await call({ socketPath, path: '/_ping', method: 'HEAD' });
  const out = await call({ socketPath, path: `/build?t=${encodeURIComponent(tag)}&dockerfile=Dockerfile`, method: 'POST', headers: { 'Content-Type': 'application/x-tar' } }, tarOf('Dockerfile', readFileSync(`${context}/Dockerfile`)));
  process.stderr.write(out.split('\n').filter(Boolean).map((line) => JSON.parse(line).stream ?? '').join(''));
} else if (mode === 'push') {
  const [ref] = args;
  const slash = ref.indexOf('/');
  const colon = ref.lastIndexOf(':');
  const [registry, name, tag] = [ref.slice(0, slash), ref.slice(slash + 1, colon), ref.slice(colon + 1)];
  const image = JSON.parse(await call({ socketPath, path: `/images/${ref}/json`, method: 'GET' }));
  const out = await call({ socketPath, path: `/images/${registry}/${name}/push?tag=${tag}`, method: 'POST', headers: { 'X-Registry-Auth': 'e30=' } });
  const digest = /digest: (sha256:[a-f0-9]{64})/.exec(out)?.[1];
  const [host, port] = registry.split(':');
  await call({ host, port: Number(port), path: `/v2/${name}/manifests/${tag}`, method: 'HEAD', headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  process.stdout.write(`${image.Id}\n${ref}@${digest}\n`);
} else {
  process.stderr.write('usage: image-builder-min-client.mjs build|push ...\n');
  process.exitCode = 2;
}
