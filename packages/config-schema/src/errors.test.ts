import { describe, expect, test } from '@jest/globals';
import { isOpsError } from '@ops/core';
import { ConfigError, ConfigInvalidError, invalidOption } from './errors.js';
import type { ConfigProblem } from './problem.js';

const problem: ConfigProblem = { file: 'a.yaml', line: 2, col: 3, pointer: '/x', path: 'x', kind: 'schema', keyword: 'type', document: 0, message: 'x: must be an integer, got the string "y"' };

describe('errors', () => {
  test.each([
    [new ConfigError('CONFIG_READ_FAILED', 'Could not read a.yaml: no such file'), 'ConfigError', 'CONFIG_READ_FAILED', 2],
    [new ConfigError('CONFIG_TOO_LARGE', 'too large'), 'ConfigError', 'CONFIG_TOO_LARGE', 2],
    [new ConfigError('CONFIG_SCHEMA_INVALID', 'bad schema'), 'ConfigError', 'CONFIG_SCHEMA_INVALID', 2],
    [new ConfigError('CONFIG_SET_INVALID', 'bad --set'), 'ConfigError', 'CONFIG_SET_INVALID', 2],
    [invalidOption('maxBytes', 'a positive integer', 0), 'ConfigError', 'CONFIG_INVALID_OPTION', 2],
    [new ConfigInvalidError([problem]), 'ConfigInvalidError', 'CONFIG_INVALID', 1],
  ])('%s', (error, name, code, exitCode) => {
    expect(isOpsError(error)).toBe(true);
    expect(error).toMatchObject({ name, code, exitCode });
  });

  test('a problem under a secret-looking key keeps its sentence readable', () => {
    const error = new ConfigInvalidError([{ ...problem, path: 'password', message: 'password: must be an integer, got a string (value hidden)' }]);
    expect(error.message).toContain('a.yaml:2:3: password: must be an integer, got a string (value hidden)');
  });

  test('ConfigInvalidError lists problems as FILE:LINE:COL lines and as data', () => {
    const error = new ConfigInvalidError(Array(7).fill(problem));
    expect(error.message).toBe(`7 problems in the configuration:\n  ${Array(5).fill('a.yaml:2:3: x: must be an integer, got the string "y"').join('\n  ')}\n  ... and 2 more`);
    expect(error.toJSON()).toMatchObject({ code: 'CONFIG_INVALID', problems: expect.arrayContaining([problem]) });
  });
});
