import { type SchemaOptions, type TNumber, type TString, type TUnion, Type } from '@sinclair/typebox';

/** Units largest first, each at most once, as k6 and Go write durations: `1h30m`, `2m`, `1s500ms`. */
const UNITS = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;

const AMOUNT = '(\\d+(?:\\.\\d+)?)';
/** `m(?!s)`: the minutes group must not swallow the `m` of `ms`. `(?=\d)`: not empty. */
export const DURATION_PATTERN = `^(?=\\d)(?:${AMOUNT}h)?(?:${AMOUNT}m(?!s))?(?:${AMOUNT}s)?(?:${AMOUNT}ms)?$`;
const DURATION_REGEX = new RegExp(DURATION_PATTERN);

export const DURATION_EXPECTATION =
  'expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds';

/** A duration as written in config files: a string with units, or a number of milliseconds. */
export type DurationValue = string | number;

/**
 * Milliseconds in a duration: `"30s"` → 30000, `"1h30m"` → 5400000, `"500ms"` → 500,
 * `1500` → 1500 (a bare number is milliseconds). Throws RangeError on anything else.
 */
export function parseDuration(input: DurationValue): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new RangeError(`invalid duration ${input}: ${DURATION_EXPECTATION}`);
  }
  const match = DURATION_REGEX.exec(input);
  if (match === null)
    throw new RangeError(`invalid duration ${JSON.stringify(input)}: ${DURATION_EXPECTATION}`);
  let total = 0;
  UNITS.forEach(([, factor], index) => {
    const amount = match[index + 1];
    if (amount !== undefined) total += Number(amount) * factor;
  });
  // Timers work in whole milliseconds; a fraction of one would only leak into reports.
  return Math.round(total);
}

/** The shortest way to write `ms` as a duration: 5400000 → `1h30m`, 1500 → `1s500ms`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot format duration ${ms}`);
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, factor] of UNITS) {
    const amount = Math.floor(rest / factor);
    if (amount > 0) out += `${amount}${unit}`;
    rest -= amount * factor;
  }
  return out === '' ? '0s' : out;
}

/**
 * Schema of a duration field; pass `default` and `description` in `options`. Loaded values keep
 * the form the user wrote: pass them through `parseDuration()`.
 */
export function Duration(options: SchemaOptions = {}): TUnion<[TString, TNumber]> {
  return Type.Union(
    [
      Type.String({ pattern: DURATION_PATTERN, patternErrorMessage: DURATION_EXPECTATION }),
      Type.Number({ minimum: 0 }),
    ],
    { errorMessage: DURATION_EXPECTATION, ...options },
  );
}
