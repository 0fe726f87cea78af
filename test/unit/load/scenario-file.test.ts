import { describe, expect, test } from 'vitest';
import { parseConfigTextChecked } from '../../../src/config/load.js';
import { applyOverrides } from '../../../src/load/overrides.js';
import { type ScenarioFile, ScenarioFileSchema } from '../../../src/load/scenario.js';

// Scenario files: errors inside one executor's options name that executor's field (the union of
// executors is discriminated by `executor:`), and --users/--duration reshape scenarios.

async function problems(text: string): Promise<string> {
  try {
    await parseConfigTextChecked(text, 's.yaml', ScenarioFileSchema, { kind: 'scenario' });
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('scenario file errors', () => {
  test('a bad stage of a ramping-vus scenario is reported at that stage', async () => {
    const message = await problems(
      'name: x\nscenarios:\n  a:\n    executor: ramping-vus\n    stages:\n      - { duration: 10x, target: 5 }\n',
    );
    expect(message).toBe(
      's.yaml:6:21  scenarios.a.stages[0].duration: expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds (got "10x")',
    );
  });

  test('an unknown executor lists the executors', async () => {
    const message = await problems(
      'name: x\nscenarios:\n  a:\n    executor: constant-rate\n    duration: 1s\n',
    );
    expect(message).toContain(
      's.yaml:4:15  scenarios.a.executor: expected one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate',
    );
  });

  test('a missing option of the chosen executor is named', async () => {
    const message = await problems(
      'name: x\nscenarios:\n  a:\n    executor: constant-arrival-rate\n    rate: 10\n    duration: 10s\n',
    );
    expect(message).toBe('s.yaml:3:3  scenarios.a: missing required key "preAllocatedVUs"');
  });
});

describe('--users and --duration', () => {
  const scenarios = {
    closed: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '10s', target: 50 },
        { duration: '30s', target: 100 },
      ],
    },
    open: { executor: 'constant-arrival-rate', rate: 10, duration: '40s', preAllocatedVUs: 5, maxVUs: 50 },
  } as unknown as ScenarioFile['scenarios'];

  test('scale closed-model VUs to the peak and stages to the duration; open-model rates stay', () => {
    const out = applyOverrides(scenarios, { users: 20, durationMs: 20_000 });
    expect(out.closed).toMatchObject({
      startVUs: 0,
      stages: [
        { duration: '5s', target: 10 },
        { duration: '15s', target: 20 },
      ],
    });
    expect(out.open).toMatchObject({ rate: 10, duration: '20s', preAllocatedVUs: 5, maxVUs: 50 });
  });
});
