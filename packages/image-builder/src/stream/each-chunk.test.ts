import { PassThrough, Readable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { eachChunk } from './each-chunk.js';

describe('eachChunk', () => {
  test('hands over every chunk in order and resolves at the end, also for a stream that ended before it was read', async () => {
    const seen: string[] = [];
    await eachChunk(Readable.from([Buffer.from('a'), Buffer.from('bc')]), (c) => seen.push(c.toString()));
    expect(seen).toEqual(['a', 'bc']);
    const ended = new PassThrough();
    ended.end('whole');
    const late: string[] = [];
    await eachChunk(ended, (c) => late.push(c.toString()));
    expect(late).toEqual(['whole']);
  });

  test.each([
    ['the stream\'s error', (s: PassThrough) => s.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), { message: 'aborted', code: 'ECONNRESET' }],
    ['a close before the end', (s: PassThrough) => s.destroy(), { message: 'Premature close', code: 'ERR_STREAM_PREMATURE_CLOSE' }],
  ])('rejects with %s', async (_name, cut, expected) => {
    const stream = new PassThrough();
    const reading = eachChunk(stream, () => undefined);
    stream.write('part');
    cut(stream);
    await expect(reading).rejects.toMatchObject(expected);
  });

  test('a stream over before it is read: ended, failed or destroyed', async () => {
    const ended = Readable.from([]);
    ended.resume();
    await new Promise((resolve) => ended.once('end', resolve));
    await expect(eachChunk(ended, () => undefined)).resolves.toBeUndefined();
    const failed = new PassThrough();
    failed.on('error', () => undefined);
    failed.destroy(new Error('gone'));
    await new Promise((resolve) => failed.once('close', resolve));
    await expect(eachChunk(failed, () => undefined)).rejects.toThrow('gone');
    const closed = new PassThrough();
    closed.destroy();
    await new Promise((resolve) => closed.once('close', resolve));
    await expect(eachChunk(closed, () => undefined)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  test('what the handler throws rejects and destroys the stream; later chunks are not handed over', async () => {
    const stream = new PassThrough();
    const seen: string[] = [];
    const reading = eachChunk(stream, (c) => {
      seen.push(c.toString());
      throw new Error('bad line');
    });
    stream.write('one');
    await expect(reading).rejects.toThrow('bad line');
    expect(stream.destroyed).toBe(true);
    expect(seen).toEqual(['one']);
  });
});
