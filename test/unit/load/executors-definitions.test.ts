import { describe, expect, test } from 'vitest';
import { CHAOS_MESH_MAPPINGS } from '../../../src/export/chaos-mesh/fault-mapping.js';
import { k6Scenario } from '../../../src/export/k6/k6-options.js';
import { FAULT_KIND_NAMES, FAULT_KINDS } from '../../../src/faults/kinds/index.js';
import { ExecutorOptions } from '../../../src/load/executor-schema.js';
import { maxVusOf, scenarioLengthMs } from '../../../src/load/executors/create-executor.js';
import { EXECUTOR_TYPES, EXECUTORS } from '../../../src/load/executors/registry.js';
import type { ScenarioEntry } from '../../../src/load/scenario.js';

// The registries behind "one definition per executor / per fault kind": every name is the
// definition's own, the scenario schema has one variant per executor, and each executor
// answers the generic questions (length, VUs, k6 form) the switches used to.

const entries = {
  'constant-vus': { executor: 'constant-vus', vus: 3, duration: '1m30s' },
  'ramping-vus': {
    executor: 'ramping-vus',
    stages: [
      { duration: '10s', target: 5 },
      { duration: 20_000, target: 0 },
    ],
  },
  'constant-arrival-rate': {
    executor: 'constant-arrival-rate',
    rate: 5,
    duration: '30s',
    preAllocatedVUs: 2,
  },
  'ramping-arrival-rate': {
    executor: 'ramping-arrival-rate',
    timeUnit: '1m',
    stages: [{ duration: '2m', target: 60 }],
    preAllocatedVUs: 4,
    maxVUs: 9,
  },
} as unknown as Record<string, ScenarioEntry>;

describe('executor registry', () => {
  test('each executor is registered under its own name, in the schema order', () => {
    for (const [type, kind] of Object.entries(EXECUTORS)) expect(kind.type).toBe(type);
    const variants = ExecutorOptions.anyOf.map((variant) => variant.properties.executor.const);
    expect(variants).toEqual(EXECUTOR_TYPES);
  });

  test('length and VU budget come from each definition, k6 defaults applied', () => {
    const lengths = Object.fromEntries(EXECUTOR_TYPES.map((t) => [t, scenarioLengthMs(entries[t]!)]));
    expect(lengths).toEqual({
      'constant-vus': 90_000,
      'ramping-vus': 30_000,
      'constant-arrival-rate': 30_000,
      'ramping-arrival-rate': 120_000,
    });
    const vus = Object.fromEntries(EXECUTOR_TYPES.map((t) => [t, maxVusOf(entries[t]!)]));
    // ramping-vus: startVUs defaults to 1, the peak is 5; constant-arrival-rate: maxVUs defaults to preAllocatedVUs.
    expect(vus).toEqual({
      'constant-vus': 3,
      'ramping-vus': 5,
      'constant-arrival-rate': 2,
      'ramping-arrival-rate': 9,
    });
  });

  test('the k6 form keeps k6 names and writes durations in Go form', () => {
    expect(k6Scenario(entries['ramping-vus']!)).toEqual({
      executor: 'ramping-vus',
      exec: 'userSession',
      stages: [
        { duration: '10s', target: 5 },
        { duration: '20s', target: 0 },
      ],
    });
    expect(k6Scenario(entries['ramping-arrival-rate']!)).toEqual({
      executor: 'ramping-arrival-rate',
      exec: 'userAction',
      timeUnit: '1m',
      stages: [{ duration: '2m', target: 60 }],
      preAllocatedVUs: 4,
      maxVUs: 9,
    });
  });
});

describe('fault kind registry', () => {
  test('each kind is registered under its own name, and FAULT_KIND_NAMES is the registry', () => {
    for (const [name, kind] of Object.entries(FAULT_KINDS)) expect(kind.name).toBe(name);
    expect(FAULT_KIND_NAMES).toEqual(Object.keys(FAULT_KINDS));
  });

  test('the Chaos Mesh mapping has an entry for every kind and nothing else', () => {
    expect(Object.keys(CHAOS_MESH_MAPPINGS).sort()).toEqual([...FAULT_KIND_NAMES].sort());
  });
});
