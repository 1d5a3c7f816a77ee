import { expect, test } from '@jest/globals';
import { parseDiskstats } from './disk.js';
import { parseNetDev } from './network.js';

test('parseNetDev reads bytes and errors per interface', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 5523831   12345    0    0    0     0          0         0  5523831   12345    0    0    0     0       0          0
  eth0: 372915587 300000   3    0    0     0          0         0  1155237    9000    7    0    0     0       0          0
`;
  expect(parseNetDev(text)).toEqual([
    { device: 'lo', rxBytes: 5_523_831, rxErrors: 0, txBytes: 5_523_831, txErrors: 0 },
    { device: 'eth0', rxBytes: 372_915_587, rxErrors: 3, txBytes: 1_155_237, txErrors: 7 },
  ]);
});

test('parseDiskstats reads bytes (512-byte sectors) and skips loop and ram devices', () => {
  const text = ` 253       0 vda 1000 0 5079682 500 2000 0 3207176 900 0 1000 1400 0 0 0 0
   7       0 loop0 10 0 20 0 0 0 0 0 0 0 0 0 0 0 0
   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0
`;
  expect(parseDiskstats(text)).toEqual([{ device: 'vda', readBytes: 5_079_682 * 512, writtenBytes: 3_207_176 * 512 }]);
});
