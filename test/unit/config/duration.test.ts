import { describe, expect, test } from 'vitest';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../../../src/config/duration.js';
import { parseRate, RATE_PATTERN } from '../../../src/config/rate.js';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['1s500ms', 1_500],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1_500],
    ['0.25h', 900_000],
    ['0s', 0],
    ['90m', 5_400_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test('a number is milliseconds', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration(0)).toBe(0);
  });

  test('rounds to whole milliseconds', () => {
    expect(parseDuration('1.0006s')).toBe(1001);
    expect(parseDuration('0.4ms')).toBe(0);
  });

  test.each(['', '30', 's', '30 s', ' 30s', '30sec', '30m1h', '1s1s', '-5s', '1d', '5us', '1.s'])(
    'rejects %j',
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        `invalid duration ${JSON.stringify(text)}: expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds`,
      );
    },
  );

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %d', (n) => {
    expect(() => parseDuration(n)).toThrow(RangeError);
  });

  test('the schema pattern accepts exactly what parseDuration accepts', () => {
    const pattern = new RegExp(DURATION_PATTERN, 'u');
    for (const good of ['500ms', '1h30m', '1s500ms', '1.5s', '0s']) expect(pattern.test(good)).toBe(true);
    for (const bad of ['', '30', '30m1h', '30 s', '1d', '5ms5s']) expect(pattern.test(bad)).toBe(false);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [500, '500ms'],
    [1_500, '1s500ms'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [86_400_000, '24h'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  test('rejects negative durations', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });
});

describe('parseRate', () => {
  test.each([
    ['200/s', 200],
    ['30/m', 0.5],
    ['3600/h', 1],
    ['0.5/s', 0.5],
  ])('%s is %d per second', (text, perSecond) => {
    expect(parseRate(text)).toBe(perSecond);
  });

  test('a number is per second', () => {
    expect(parseRate(12)).toBe(12);
  });

  test.each(['200', '200/sec', '/s', '200 /s', '-1/s', '1/d'])('rejects %j', (text) => {
    expect(() => parseRate(text)).toThrow(
      `invalid rate ${JSON.stringify(text)}: expected a rate such as 200/s, 10/m or 30/h, or a number per second`,
    );
    expect(new RegExp(RATE_PATTERN, 'u').test(text)).toBe(false);
  });
});
