import { type SchemaOptions, type TNumber, type TString, type TUnion, Type } from '@sinclair/typebox';

const PER_UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

export const RATE_PATTERN = '^(\\d+(?:\\.\\d+)?)/(s|m|h)$';
const RATE_REGEX = new RegExp(RATE_PATTERN);

export const RATE_EXPECTATION = 'expected a rate such as 200/s, 10/m or 30/h, or a number per second';

/** A rate as written in config files: `count/unit`, or a number per second. */
export type RateValue = string | number;

/** Events per second in a rate: `"200/s"` → 200, `"30/m"` → 0.5, `5` → 5. Throws RangeError otherwise. */
export function parseRate(input: RateValue): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new RangeError(`invalid rate ${input}: ${RATE_EXPECTATION}`);
  }
  const match = RATE_REGEX.exec(input);
  if (match === null) throw new RangeError(`invalid rate ${JSON.stringify(input)}: ${RATE_EXPECTATION}`);
  const unit = match[2] as keyof typeof PER_UNIT_SECONDS;
  return Number(match[1]) / PER_UNIT_SECONDS[unit];
}

/** Schema of a rate field; pass `default` and `description` in `options`. */
export function RateField(options: SchemaOptions = {}): TUnion<[TString, TNumber]> {
  return Type.Union(
    [
      Type.String({ pattern: RATE_PATTERN, patternErrorMessage: RATE_EXPECTATION }),
      Type.Number({ minimum: 0 }),
    ],
    { errorMessage: RATE_EXPECTATION, ...options },
  );
}
