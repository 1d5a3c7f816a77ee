import { isOpsError } from '@ops/core';
import { KINDS, selectKinds, SUSPICIOUS_KINDS } from './kinds.js';

describe('selectKinds', () => {
  test('by default every failure kind, no suspicious one', () => {
    expect(SUSPICIOUS_KINDS).toEqual(['sshd-preauth-disconnect']);
    expect(selectKinds()).toEqual(KINDS.filter((k) => k !== 'sshd-preauth-disconnect'));
    expect(selectKinds({ suspicious: true })).toEqual(KINDS);
  });

  test('kinds: exactly those (a suspicious one included when listed), in matcher order; excludeKinds removes', () => {
    expect(selectKinds({ kinds: ['sshd-preauth-disconnect', 'sshd-failed-password'] })).toEqual(['sshd-failed-password', 'sshd-preauth-disconnect']);
    expect(selectKinds({ kinds: ['sshd-failed-password', 'sshd-invalid-user'], excludeKinds: ['sshd-invalid-user'] })).toEqual(['sshd-failed-password']);
    expect(selectKinds({ excludeKinds: ['sshd-failed-password'] })).not.toContain('sshd-failed-password');
  });

  test.each([
    [{ kinds: ['nope'] }, 'unknown kind "nope" in `kinds`'],
    [{ excludeKinds: ['a', 'sshd-failed-none', 'b'] }, 'unknown kind "a", "b" in `excludeKinds`'],
    [{ kinds: 'sshd-failed-none' as unknown as string[] }, 'Expected `kinds` to be a list of kinds, got string'],
  ])('%j is a usage error naming the option and the kinds', (selection, message) => {
    let error: unknown;
    try { selectKinds(selection); } catch (e) { error = e; }
    expect(isOpsError(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toBe(message);
  });

  test('the hint lists every valid kind', () => {
    expect(() => selectKinds({ kinds: ['x'] })).toThrow(expect.objectContaining({ hint: `valid kinds: ${KINDS.join(', ')}` }));
  });
});
