import { didYouMean } from '../config/did-you-mean.js';
import type { ConfigIssue } from '../config/load.js';
import { compare, type Operator } from './thresholds.js';

// Thresholds on drift, in k6 syntax with units: `mm_app_rss_slope: ["value<1MB/min"]`,
// `http_req_duration_p99_change: ["value<50%"]`. A soak's verdict is about how fast something
// grows, so the limit carries a quantity unit (B, KB, MB, GB, ms, s, %) and, for slopes, a time
// unit (/s, /min, /h); both are normalised to the series' base unit per minute before comparing.
// KB, MB and GB are binary (1 KB = 1024 B), as RSS figures are.

/** What a drift series measures, deciding which units its thresholds may use. */
export type DriftUnit = 'bytes' | 'ms' | 'ratio' | 'count';

export interface DriftThreshold {
  /** `<series>_slope` or `<series>_change`. */
  metric: string;
  series: string;
  measure: 'slope' | 'change';
  expression: string;
  operator: Operator;
  /** In the series' base unit per minute (slope), or as a fraction (change). */
  limit: number;
}

export interface DriftThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** Measured value in the threshold's normalised unit; null: not measured (not judged). */
  value: number | null;
  note?: string;
}

const OPERATOR = /^(===|==|!=|<=|>=|<|>)/;
const NUMBER = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*/;
const QUANTITY: Readonly<Record<string, { unit: DriftUnit | 'percent'; factor: number }>> = {
  B: { unit: 'bytes', factor: 1 },
  KB: { unit: 'bytes', factor: 1024 },
  MB: { unit: 'bytes', factor: 1024 ** 2 },
  GB: { unit: 'bytes', factor: 1024 ** 3 },
  ms: { unit: 'ms', factor: 1 },
  s: { unit: 'ms', factor: 1000 },
  '%': { unit: 'percent', factor: 0.01 },
};
const PER: Readonly<Record<string, number>> = { s: 60, min: 1, h: 1 / 60 };

/** Parses `value<1MB/min` for a series of the given unit. Throws RangeError with a message fit for a user. */
export function parseDriftExpression(
  text: string,
  measure: 'slope' | 'change',
  unit: DriftUnit,
): { operator: Operator; limit: number } {
  const source = text.trim();
  const head = /^value\s*/.exec(source);
  if (head === null) throw new RangeError('drift thresholds compare the value: write value<LIMIT');
  let rest = source.slice(head[0].length);
  const op = OPERATOR.exec(rest);
  if (op === null) throw new RangeError('expected <, <=, >, >=, == or != after value');
  const operator = (op[1] === '===' ? '==' : op[1]) as Operator;
  rest = rest.slice(op[1]!.length).trim();
  const number = NUMBER.exec(rest);
  if (number === null) throw new RangeError(`"${rest}" does not start with a number`);
  let limit = Number(number[1]);
  rest = rest.slice(number[0].length);
  const [quantityText, perText, extra] = rest.split('/').map((s) => s.trim());
  if (extra !== undefined) throw new RangeError(`"${rest}" has more than one "/"`);
  if (quantityText !== '') {
    const quantity = QUANTITY[quantityText!];
    if (quantity === undefined)
      throw new RangeError(
        `unknown unit "${quantityText}"${didYouMean(quantityText!, Object.keys(QUANTITY))}: one of ${Object.keys(QUANTITY).join(', ')}`,
      );
    if (quantity.unit === 'percent') {
      if (measure !== 'change' && unit !== 'ratio')
        throw new RangeError('% applies to a _change (relative) or to a share (error rate)');
    } else if (quantity.unit !== unit || measure === 'change') {
      throw new RangeError(
        measure === 'change'
          ? `a _change is relative: write it in % (value<50%) or as a fraction`
          : `${quantityText} does not measure this series (${unit})`,
      );
    }
    limit *= quantity.factor;
  }
  if (perText !== undefined) {
    if (measure === 'change') throw new RangeError('a _change has no time unit: write value<50%');
    const per = PER[perText];
    if (per === undefined) throw new RangeError(`unknown time unit "/${perText}": one of /s, /min, /h`);
    limit *= per;
  }
  return { operator, limit };
}

/** Parses the `drift.thresholds` mapping against the known series; every problem is collected. */
export function parseDriftThresholds(
  config: Readonly<Record<string, readonly string[]>>,
  seriesUnits: Readonly<Record<string, DriftUnit>>,
  basePath: (string | number)[] = [],
): { thresholds: DriftThreshold[]; problems: ConfigIssue[] } {
  const thresholds: DriftThreshold[] = [];
  const problems: ConfigIssue[] = [];
  const known = Object.keys(seriesUnits).flatMap((s) => [`${s}_slope`, `${s}_change`]);
  for (const [key, expressions] of Object.entries(config)) {
    const match = /^(.+)_(slope|change)$/.exec(key);
    const series = match?.[1];
    if (match === null || series === undefined || !Object.hasOwn(seriesUnits, series)) {
      problems.push({
        path: [...basePath, key],
        anchor: 'key',
        message: `unknown drift metric "${key}"${didYouMean(key, known)}: a series name + _slope or _change (${Object.keys(seriesUnits).join(', ')})`,
      });
      continue;
    }
    const measure = match[2] as 'slope' | 'change';
    expressions.forEach((expression, index) => {
      try {
        const parsed = parseDriftExpression(expression, measure, seriesUnits[series]!);
        thresholds.push({ metric: key, series, measure, expression: expression.trim(), ...parsed });
      } catch (error) {
        problems.push({
          path: [...basePath, key, index],
          message: `invalid drift threshold "${expression}": ${(error as Error).message}`,
        });
      }
    });
  }
  return { thresholds, problems };
}

/** Judges one threshold; a value of null (series not measured) passes unjudged, as k6 does. */
export function judgeDrift(threshold: DriftThreshold, value: number | null): DriftThresholdResult {
  return {
    metric: threshold.metric,
    expression: threshold.expression,
    ok: value === null || compare(value, threshold.operator, threshold.limit),
    value,
    ...(value === null && { note: 'not measured' }),
  };
}
