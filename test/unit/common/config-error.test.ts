import { describe, expect, test } from 'vitest';
import { ConfigError, type ConfigProblem, formatProblem } from '../../../src/common/config-error.js';
import { ExitCode, UsageError } from '../../../src/common/exit-codes.js';
import { closestMatch, didYouMean, editDistance } from '../../../src/config/did-you-mean.js';

const problem = (
  line: number,
  column: number,
  path: string,
  message: string,
  file = 'environments/native.yaml',
): ConfigProblem => ({
  file,
  line,
  column,
  path,
  message,
});

describe('ConfigError', () => {
  test('one problem is one compiler-style line', () => {
    const error = new ConfigError([problem(7, 3, 'appNodes', 'must be >= 1 (got 0)')], 'environment');
    expect(error.message).toBe('environments/native.yaml:7:3  appNodes: must be >= 1 (got 0)');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.name).toBe('ConfigError');
  });

  test('several problems get a header line and are sorted by line, then column', () => {
    const error = new ConfigError(
      [
        problem(9, 1, '', 'duplicate key "name" (first set on line 2)'),
        problem(4, 11, 'appNodes', 'must be >= 1 (got 0)'),
      ],
      'environment',
    );
    expect(error.message.split('\n')).toEqual([
      '2 problems in environment file environments/native.yaml:',
      'environments/native.yaml:4:11  appNodes: must be >= 1 (got 0)',
      'environments/native.yaml:9:1  duplicate key "name" (first set on line 2)',
    ]);
    expect(error.problems.map((p) => p.line)).toEqual([4, 9]);
  });

  test('problems from several files', () => {
    const error = new ConfigError([problem(1, 1, 'a', 'x', 'b.yaml'), problem(2, 1, 'b', 'y', 'a.yaml')]);
    expect(error.message.split('\n')).toEqual([
      '2 problems in configuration files:',
      'a.yaml:2:1  b: y',
      'b.yaml:1:1  a: x',
    ]);
  });

  test('a problem about the file as a whole has no field', () => {
    expect(formatProblem(problem(1, 1, '', 'the file is empty'))).toBe(
      'environments/native.yaml:1:1  the file is empty',
    );
  });

  test('needs at least one problem', () => {
    expect(() => new ConfigError([])).toThrow('ConfigError needs at least one problem');
  });
});

describe('did you mean', () => {
  test('a swap of two letters is one edit', () => {
    expect(editDistance('replcia', 'replica')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('suggests only plausible typos, ignoring case', () => {
    expect(closestMatch('replcia', ['replica', 'version'])).toBe('replica');
    expect(closestMatch('AppNodes', ['appNodes', 'admin'])).toBe('appNodes');
    expect(closestMatch('severity', ['kind', 'link', 'duration'])).toBeUndefined();
    expect(didYouMean('nativ', ['native', 'containers'])).toBe(' (did you mean "native"?)');
    expect(didYouMean('zzz', ['native'])).toBe('');
  });
});
