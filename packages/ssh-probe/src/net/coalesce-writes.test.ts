import { Writable } from 'node:stream';
import { coalesceWrites } from './coalesce-writes.js';

/** A stream that records each system-call-like write: one entry per `_write`, or per `_writev` batch. */
function recorder(): { stream: Writable; batches: string[][] } {
  const batches: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      batches.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      batches.push(chunks.map((c) => (c.chunk as Buffer).toString()));
      callback();
    },
  });
  return { stream, batches };
}

describe('coalesceWrites', () => {
  test('the packets written in one tick leave together, in order', async () => {
    const { stream, batches } = recorder();
    coalesceWrites(stream as never);
    stream.write(Buffer.from('a'));
    stream.write(Buffer.from('b'));
    stream.write(Buffer.from('c'));
    expect(batches).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  test('writes of later ticks are batches of their own; callbacks are called', async () => {
    const { stream, batches } = recorder();
    coalesceWrites(stream as never);
    const written: string[] = [];
    stream.write(Buffer.from('kexinit'), () => written.push('kexinit'));
    await new Promise((r) => setImmediate(r));
    stream.write(Buffer.from('newkeys'), () => written.push('newkeys'));
    stream.write(Buffer.from('service'), () => written.push('service'));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([['kexinit'], ['newkeys', 'service']]);
    expect(written).toEqual(['kexinit', 'newkeys', 'service']);
  });

  test('a write after destroy is not corked (no timer, the error is the stream\'s own)', async () => {
    const { stream, batches } = recorder();
    coalesceWrites(stream as never);
    stream.destroy();
    const failed = new Promise((resolve) => stream.write(Buffer.from('late'), resolve));
    await expect(failed).resolves.toMatchObject({ code: 'ERR_STREAM_DESTROYED' });
    expect(batches).toEqual([]);
  });
});
