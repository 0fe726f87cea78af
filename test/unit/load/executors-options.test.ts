import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { ExecutorOptions, executorIssues, executorVariants } from '../../../src/load/executor-schema.js';
import { ConstantArrivalRate } from '../../../src/load/executors/constant-arrival-rate.js';
import { ConstantVus } from '../../../src/load/executors/constant-vus.js';
import { createExecutor } from '../../../src/load/executors/create-executor.js';
import { RampingArrivalRate } from '../../../src/load/executors/ramping-arrival-rate.js';
import { RampingVus } from '../../../src/load/executors/ramping-vus.js';

const load = (yaml: string) => parseConfigText(yaml, 'scenario.yaml', ExecutorOptions, { kind: 'scenario' });

describe('executor options', () => {
  it('applies k6 defaults to what the file leaves out', () => {
    // ajv fills no defaults inside a union: the file's value stays as written…
    expect(load('executor: constant-vus\nduration: 1m\n')).toEqual({
      executor: 'constant-vus',
      duration: '1m',
    });
    // …and createExecutor takes k6's.
    const cv = createExecutor(load('executor: constant-vus\nduration: 1m\n')) as ConstantVus;
    expect(cv.config).toEqual({ vus: 1, durationMs: 60_000, startTimeMs: 0, gracefulStopMs: 30_000 });
    const rv = createExecutor(
      load('executor: ramping-vus\nstages: [{duration: 10s, target: 5}]\n'),
    ) as RampingVus;
    expect(rv.config).toMatchObject({ startVUs: 1, gracefulRampDownMs: 30_000, gracefulStopMs: 30_000 });
    const rar = createExecutor(
      load('executor: ramping-arrival-rate\npreAllocatedVUs: 5\nstages: [{duration: 10s, target: 5}]\n'),
    ) as RampingArrivalRate;
    expect(rar.config).toMatchObject({ startRate: 0, timeUnitMs: 1000, maxVUs: 5 });
  });

  it('builds each executor with parsed durations; maxVUs defaults to preAllocatedVUs', () => {
    const car = createExecutor(
      load('executor: constant-arrival-rate\nrate: 200\nduration: 30s\npreAllocatedVUs: 50\n'),
    );
    expect(car).toBeInstanceOf(ConstantArrivalRate);
    expect((car as ConstantArrivalRate).config).toMatchObject({
      rate: 200,
      timeUnitMs: 1000,
      durationMs: 30_000,
      preAllocatedVUs: 50,
      maxVUs: 50,
      gracefulStopMs: 30_000,
    });
    expect(car.maxDurationMs()).toBe(60_000);
    expect(createExecutor(load('executor: constant-vus\nduration: 5s\nvus: 3\n'))).toBeInstanceOf(
      ConstantVus,
    );
    const rv = createExecutor(
      load(
        'executor: ramping-vus\nstartTime: 10s\ngracefulRampDown: 5s\nstages: [{duration: 1m, target: 10}]\n',
      ),
    );
    expect(rv).toBeInstanceOf(RampingVus);
    expect((rv as RampingVus).config.gracefulRampDownMs).toBe(5000);
    expect(rv.maxDurationMs()).toBe(10_000 + 60_000 + 30_000);
    const rar = createExecutor(
      load(
        'executor: ramping-arrival-rate\ntimeUnit: 1m\npreAllocatedVUs: 1\nmaxVUs: 9\nstages: [{duration: 2m, target: 60}]\n',
      ),
    );
    expect(rar).toBeInstanceOf(RampingArrivalRate);
    expect((rar as RampingArrivalRate).config).toMatchObject({ timeUnitMs: 60_000, maxVUs: 9 });
  });

  it('rejects unknown keys and bad values with k6 names in the message', () => {
    expect(() => load('executor: constant-vus\nduration: 1m\nvu: 3\n')).toThrow(/unknown key "vu"/);
    expect(() =>
      load('executor: constant-arrival-rate\nrate: 0\nduration: 1m\npreAllocatedVUs: 1\n'),
    ).toThrow(/rate/);
    expect(() => load('executor: per-vu-iterations\nvus: 1\n')).toThrow(/executor/);
  });

  it('reports what the schema cannot say', () => {
    expect(
      executorIssues(
        load('executor: constant-arrival-rate\nrate: 5\nduration: 1m\npreAllocatedVUs: 10\nmaxVUs: 5\n'),
      ),
    ).toEqual([{ path: ['maxVUs'], message: 'maxVUs (5) must be at least preAllocatedVUs (10)' }]);
    expect(executorIssues(load('executor: constant-vus\nduration: 0s\n'))).toEqual([
      { path: ['duration'], message: 'duration must be longer than 0s' },
    ]);
    expect(
      executorIssues(load('executor: ramping-vus\nstartVUs: 0\nstages: [{duration: 0s, target: 0}]\n')),
    ).toEqual([
      { path: ['stages'], message: 'startVUs or a stage target must be more than 0' },
      { path: ['stages'], message: 'the stages must last longer than 0s in all' },
    ]);
    expect(
      executorIssues(
        load('executor: ramping-arrival-rate\npreAllocatedVUs: 0\nstages: [{duration: 1m, target: 5}]\n'),
      ),
    ).toEqual([{ path: ['preAllocatedVUs'], message: 'preAllocatedVUs or maxVUs must be more than 0' }]);
  });

  it('composes with a scenario’s own keys', () => {
    const Scenario = executorVariants({ behaviour: Type.String() });
    const value = parseConfigText(
      'executor: constant-vus\nduration: 1m\nbehaviour: messaging\n',
      's.yaml',
      Scenario,
    );
    expect(value).toEqual({ executor: 'constant-vus', duration: '1m', behaviour: 'messaging' });
    expect(() =>
      parseConfigText('executor: constant-vus\nduration: 1m\nbehavior: x\n', 's.yaml', Scenario),
    ).toThrow(/unknown key "behavior"/);
  });
});
