import type { BuildEvent, BuildOutcome, BuildProgress } from './build-progress.js';
import type { JsonLine } from './json-lines.js';
import { readFields } from './protobuf-wire.js';

const LAST_LINES = 20;
const decoder = new TextDecoder();

interface Vertex {
  name: string;
  started: boolean;
  done: boolean;
  cached: boolean;
  error: string | undefined;
  text: string;
  lines: string[];
}

/**
 * Follows a BuildKit build stream (`POST /build?version=2`): decodes the
 * `moby.buildkit.v1.StatusResponse` messages carried base64 in `moby.buildkit.trace` lines into
 * readable steps (`[stage 2/3] RUN make`) and their output lines, notes the failing step, and takes
 * the image ID from `moby.image.id`. Same contract as the classic builder's progress.
 */
export function createBuildkitProgress(emit: (event: BuildEvent) => void = () => undefined): BuildProgress {
  const vertices = new Map<string, Vertex>();
  let imageId: string | undefined;
  let error: BuildOutcome['error'];
  let failed: Vertex | undefined;
  let current: Vertex | undefined;
  let malformedLines = 0;
  // Steps of the daemon's own (context upload, metadata lookups) are not the user's.
  const internal = (name: string) => name.startsWith('[internal]') || name === 'copy /context /';
  const indexOf = (name: string) => /^\[[^\]]*?(\d+)\/(\d+)\]/.exec(name);
  const vertex = (digest: string): Vertex => {
    let v = vertices.get(digest);
    if (!v) vertices.set(digest, (v = { name: '', started: false, done: false, cached: false, error: undefined, text: '', lines: [] }));
    return v;
  };
  const line = (v: Vertex, text: string) => {
    const clean = text.replace(/\r$/, '');
    if (clean.trim() === '') return;
    v.lines.push(clean);
    if (v.lines.length > LAST_LINES) v.lines.shift();
    const m = indexOf(v.name);
    emit({ type: 'output', line: clean, step: v.name, index: m ? Number(m[1]) : undefined });
  };
  const onVertex = (digest: string, bytes: Uint8Array) => {
    const v = vertex(digest);
    let started = false;
    let completed = false;
    for (const f of readFields(bytes)) {
      if (f.field === 3 && f.bytes) v.name = decoder.decode(f.bytes);
      else if (f.field === 4 && f.varint !== undefined) v.cached = f.varint === 1;
      else if (f.field === 5) started = true;
      else if (f.field === 6) completed = true;
      else if (f.field === 7 && f.bytes) v.error = decoder.decode(f.bytes);
    }
    if (started && !v.started && !internal(v.name)) {
      v.started = true;
      current = v;
      const m = indexOf(v.name);
      emit({ type: 'step', step: v.name, index: m ? Number(m[1]) : undefined, total: m ? Number(m[2]) : undefined });
    }
    if (completed && !v.done) {
      v.done = true;
      if (v.text) {
        line(v, v.text);
        v.text = '';
      }
      if (v.cached && !internal(v.name)) emit({ type: 'output', line: 'CACHED', step: v.name, index: undefined });
      if (v.error && !failed && !v.error.includes('context canceled')) failed = v;
    }
  };
  const onStatus = (bytes: Uint8Array) => {
    for (const f of readFields(bytes)) {
      if (f.field === 1 && f.bytes) {
        let digest = '';
        for (const g of readFields(f.bytes)) if (g.field === 1 && g.bytes) digest = decoder.decode(g.bytes);
        if (digest) onVertex(digest, f.bytes);
      } else if (f.field === 3 && f.bytes) {
        let digest = '';
        let msg: Uint8Array | undefined;
        for (const g of readFields(f.bytes)) {
          if (g.field === 1 && g.bytes) digest = decoder.decode(g.bytes);
          else if (g.field === 4 && g.bytes) msg = g.bytes;
        }
        if (!msg) continue;
        const v = vertex(digest);
        v.text += decoder.decode(msg);
        let at = v.text.indexOf('\n');
        while (at !== -1) {
          line(v, v.text.slice(0, at));
          v.text = v.text.slice(at + 1);
          at = v.text.indexOf('\n');
        }
      }
    }
  };
  const outcome = (): BuildOutcome => {
    const v = failed ?? current;
    const m = v ? indexOf(v.name) : null;
    return { imageId, step: v?.name, stepIndex: m ? Number(m[1]) : undefined, lastLines: v ? [...v.lines, ...(v.text.trim() ? [v.text.trim()] : [])].slice(-LAST_LINES) : [], error, malformedLines };
  };
  return {
    accept(l: JsonLine) {
      if (l.kind === 'malformed') {
        malformedLines++;
        return;
      }
      const m = l.message;
      if (m.id === 'moby.buildkit.trace' && typeof m.aux === 'string') {
        try {
          onStatus(Buffer.from(m.aux, 'base64'));
        } catch {
          malformedLines++;
        }
      } else if (m.id === 'moby.image.id' && typeof m.aux === 'object' && typeof m.aux.ID === 'string') {
        imageId = m.aux.ID;
        emit({ type: 'built', imageId });
      }
      if ((m.error !== undefined || m.errorDetail !== undefined) && !error) {
        const message = m.errorDetail?.message ?? m.error;
        error = { message: typeof message === 'string' && message ? message : 'the build failed (no message)', code: typeof m.errorDetail?.code === 'number' ? m.errorDetail.code : undefined };
      }
    },
    finish: outcome,
    snapshot: outcome,
  };
}
