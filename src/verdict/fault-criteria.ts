import { type SchemaOptions, type Static, Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../config/duration.js';
import { ClosedObject } from '../config/schema-builders.js';

// What a drill counts as "recovered" and how many failures it forgives. The defaults are the
// issue's: back under 1 % errors with p99 within 2× the pre-fault baseline, held for 10 s,
// within 60 s of the fault's end, spending at most 5 % of the requests as errors.

export interface FaultCriteria {
  /** Error rate (0..1) at or under which a second counts as healthy. */
  errorRate: number;
  /** A second is healthy only if its p99 is within this multiple of the baseline p99 … */
  latencyFactor: number;
  /**
   * … or under this floor (ms): sub-50 ms p99s are noise, and 2× a 3 ms baseline would make a
   * single slow request on an idle loopback stack look like an outage.
   */
  latencyFloorMs: number;
  /** How long the healthy state must hold before the fault counts as recovered. */
  sustainMs: number;
  /** Recovery slower than this (or none) fails the fault. */
  maxRecoveryMs: number;
  /**
   * Failed requests allowed in the fault window plus its recovery span: the larger of an absolute
   * number and a share of the requests in that span.
   */
  errorBudget: { failedRequests: number; share: number };
  /** The first part of the run left out of the baseline (ramp-up, cold caches). */
  warmUpMs: number;
}

export const DEFAULT_FAULT_CRITERIA: FaultCriteria = {
  errorRate: 0.01,
  latencyFactor: 2,
  latencyFloorMs: 50,
  sustainMs: 10_000,
  maxRecoveryMs: 60_000,
  errorBudget: { failedRequests: 0, share: 0.05 },
  warmUpMs: 0,
};

const SHARE_PATTERN = '^(\\d+(?:\\.\\d+)?)%$';
const SHARE_EXPECTATION = 'expected a share such as 1%, 0.5% or 0.01 (a number from 0 to 1)';

/** A share written as a percentage (`1%`) or a fraction (`0.01`). */
function Share(options: SchemaOptions = {}) {
  return Type.Union(
    [
      Type.String({ pattern: SHARE_PATTERN, patternErrorMessage: SHARE_EXPECTATION }),
      Type.Number({ minimum: 0, maximum: 1 }),
    ],
    { errorMessage: SHARE_EXPECTATION, ...options },
  );
}

/** `"1%"` → 0.01, `0.01` → 0.01. Throws RangeError on anything else or above 100 %. */
export function parseShare(input: string | number): number {
  const value = typeof input === 'number' ? input : Number(new RegExp(SHARE_PATTERN).exec(input)?.[1]) / 100;
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new RangeError(`invalid share ${JSON.stringify(input)}: ${SHARE_EXPECTATION}`);
  return value;
}

/** The criteria as a drill file writes them (every field optional; defaults above). */
export const FaultCriteriaSchema = ClosedObject(
  {
    errorRate: Type.Optional(
      Share({ description: 'A second with at most this error rate counts as healthy. Default 1%.' }),
    ),
    p99Factor: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "Healthy p99: within this multiple of the pre-fault baseline's p99. Default 2.",
      }),
    ),
    p99Floor: Type.Optional(
      Duration({ description: 'A p99 under this always counts as healthy. Default 50ms.' }),
    ),
    sustain: Type.Optional(
      Duration({ description: 'How long the healthy state must hold to count as recovered. Default 10s.' }),
    ),
    maxRecovery: Type.Optional(
      Duration({
        description:
          "Longest acceptable recovery, from the fault's end (its start for failovers). Default 60s.",
      }),
    ),
    errorBudget: Type.Optional(
      ClosedObject(
        {
          failedRequests: Type.Optional(Type.Integer({ minimum: 0, description: 'Default 0.' })),
          share: Type.Optional(Share({ description: 'Default 5%.' })),
        },
        {
          description:
            'Failed requests allowed during the fault and its recovery: the larger of failedRequests ' +
            "and share × the span's requests.",
        },
      ),
    ),
    warmUp: Type.Optional(
      Duration({ description: 'The start of the run left out of the pre-fault baseline. Default 0s.' }),
    ),
  },
  { description: 'When a fault counts as survived (per fault verdict).' },
);

export type FaultCriteriaConfig = Static<typeof FaultCriteriaSchema>;

/** The criteria of a drill file, defaults filled in. */
export function resolveFaultCriteria(config: FaultCriteriaConfig = {}): FaultCriteria {
  const d = DEFAULT_FAULT_CRITERIA;
  return {
    errorRate: config.errorRate === undefined ? d.errorRate : parseShare(config.errorRate),
    latencyFactor: config.p99Factor ?? d.latencyFactor,
    latencyFloorMs: config.p99Floor === undefined ? d.latencyFloorMs : parseDuration(config.p99Floor),
    sustainMs: config.sustain === undefined ? d.sustainMs : parseDuration(config.sustain),
    maxRecoveryMs: config.maxRecovery === undefined ? d.maxRecoveryMs : parseDuration(config.maxRecovery),
    errorBudget: {
      failedRequests: config.errorBudget?.failedRequests ?? d.errorBudget.failedRequests,
      share:
        config.errorBudget?.share === undefined ? d.errorBudget.share : parseShare(config.errorBudget.share),
    },
    warmUpMs: config.warmUp === undefined ? d.warmUpMs : parseDuration(config.warmUp),
  };
}
