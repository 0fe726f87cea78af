import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, type ConfigProblem } from '../../../src/common/config-error.js';
import { ExitCode, UsageError } from '../../../src/common/exit-codes.js';
import { Duration } from '../../../src/config/duration.js';
import { loadConfigFile, parseConfigText, parseConfigTextChecked } from '../../../src/config/load.js';
import { ClosedObject, ForbiddenKey, StringEnum } from '../../../src/config/schema-builders.js';
import { EnvironmentSchema } from '../../../src/stack/environment.js';

// A small fault-plan-like kind, so these tests exercise the loader rather than one real kind.
const FaultSchema = ClosedObject({
  kind: StringEnum(['latency', 'down', 'kill']),
  link: Type.String({ minLength: 1 }),
  after: Duration({ default: '0s' }),
  duration: Duration(),
});
const PlanSchema = ClosedObject({
  name: Type.String({ minLength: 1 }),
  repeat: Type.Integer({ minimum: 1, default: 1 }),
  tags: Type.Array(Type.String(), { default: [], uniqueItems: true }),
  target: Type.Union([Type.Literal('all'), Type.Array(Type.String(), { minItems: 1 })], { default: 'all' }),
  token: ForbiddenKey('tokens never go in plan files'),
  faults: Type.Array(FaultSchema, { default: [] }),
});

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const FILE = 'chaos/plan.yaml';
const plan = (text: string) => () => parseConfigText(text, FILE, PlanSchema, { kind: 'fault plan' });

describe('parseConfigText', () => {
  test('a good file gives the typed value with defaults filled in', () => {
    const value = parseConfigText(
      'name: db-outage\nfaults:\n  - kind: down\n    link: app-db-primary\n    duration: 30s\n',
      FILE,
      PlanSchema,
    );
    expect(value).toEqual({
      name: 'db-outage',
      repeat: 1,
      tags: [],
      target: 'all',
      faults: [{ kind: 'down', link: 'app-db-primary', after: '0s', duration: '30s' }],
    });
    // The static type has the defaulted keys as required: this compiles without `!`.
    const repeat: number = value.repeat;
    expect(repeat).toBe(1);
  });

  test('a YAML syntax error is reported with its line', () => {
    expect(problems(plan('name: x\nfaults: [\n  {kind: down\n'))).toEqual([
      'chaos/plan.yaml:4:1  invalid YAML: flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(problems(plan('name: a\n\trepeat: 2\n'))).toEqual([
      'chaos/plan.yaml:2:1  invalid YAML: tabs are not allowed as indentation',
    ]);
    expect(problems(plan('name: a\nfaults:\n  - kind: down\n   link: x\nrepeat: 1\n'))).toEqual([
      'chaos/plan.yaml:4:1  invalid YAML: sequence item without - indicator',
    ]);
  });

  test('two YAML documents in one file are refused', () => {
    expect(problems(plan('name: a\n---\nname: b\n'))).toEqual([
      'chaos/plan.yaml:2:1  invalid YAML: a file holds one YAML document; remove the extra "---" separator',
    ]);
  });

  test('a duplicate key names both lines', () => {
    expect(
      problems(plan('name: a\nrepeat: 2\nfaults:\n  - kind: down\n    kind: kill\nrepeat: 3\n')),
    ).toEqual([
      '2 problems in fault plan file chaos/plan.yaml:',
      'chaos/plan.yaml:5:5  faults[0]: duplicate key "kind" (first set on line 4)',
      'chaos/plan.yaml:6:1  duplicate key "repeat" (first set on line 2)',
    ]);
  });

  test('an unknown key is reported at the key, with a suggestion when one is close', () => {
    expect(problems(plan('name: a\nrepaet: 2\n'))).toEqual([
      'chaos/plan.yaml:2:1  unknown key "repaet" (did you mean "repeat"?)',
    ]);
    expect(
      problems(plan('name: a\nfaults:\n  - kind: down\n    link: x\n    duration: 1s\n    severity: high\n')),
    ).toEqual(['chaos/plan.yaml:6:5  faults[0]: unknown key "severity"']);
  });

  test('a wrong type says what was expected and what was found', () => {
    expect(problems(plan('name: a\nrepeat: two\n'))).toEqual([
      'chaos/plan.yaml:2:9  repeat: expected integer, got string "two"',
    ]);
    expect(problems(plan('name: a\nrepeat: 1.5\n'))).toEqual([
      'chaos/plan.yaml:2:9  repeat: expected integer, got number 1.5',
    ]);
    expect(problems(plan('name: 12\n'))).toEqual([
      'chaos/plan.yaml:1:7  name: expected string, got number 12 (write it in quotes: "12")',
    ]);
    expect(problems(plan('name: a\nfaults: {kind: down}\n'))).toEqual([
      'chaos/plan.yaml:2:9  faults: expected list, got a mapping',
    ]);
  });

  test('an empty value is reported at its key', () => {
    expect(problems(plan('name:\nrepeat: 2\n'))).toEqual([
      'chaos/plan.yaml:1:1  name: expected string, got nothing',
    ]);
  });

  test('an enum lists the allowed values and suggests the closest', () => {
    expect(problems(plan('name: a\nfaults:\n  - kind: dwon\n    link: x\n    duration: 1s\n'))).toEqual([
      'chaos/plan.yaml:3:11  faults[0].kind: expected one of latency, down, kill, got "dwon" (did you mean "down"?)',
    ]);
  });

  test('a missing required key is reported at the line of the object that lacks it', () => {
    expect(problems(plan('# yaml-language-server: $schema=x\nrepeat: 2\n'))).toEqual([
      'chaos/plan.yaml:2:1  missing required key "name"',
    ]);
    expect(problems(plan('name: a\nfaults:\n  - kind: down\n    link: x\n'))).toEqual([
      'chaos/plan.yaml:3:5  faults[0]: missing required key "duration"',
    ]);
  });

  test('limits, repeated items and forbidden keys', () => {
    expect(problems(plan('name: ""\nrepeat: 0\ntags: [a, b, a]\ntoken: s3cret\n'))).toEqual([
      '4 problems in fault plan file chaos/plan.yaml:',
      'chaos/plan.yaml:1:7  name: must not be empty',
      'chaos/plan.yaml:2:9  repeat: must be >= 1 (got 0)',
      'chaos/plan.yaml:3:14  tags: lists "a" twice (items 0 and 2)',
      'chaos/plan.yaml:4:1  token: tokens never go in plan files',
    ]);
  });

  test('a union is summarised to the alternative the value was aiming at', () => {
    // A string: only the "all" alternative fits; a list: only the list alternative's complaint counts.
    expect(problems(plan('name: a\ntarget: some\n'))).toEqual([
      'chaos/plan.yaml:2:9  target: expected "all", got "some"',
    ]);
    expect(problems(plan('name: a\ntarget: []\n'))).toEqual([
      'chaos/plan.yaml:2:9  target: must list at least 1 item (got 0)',
    ]);
    expect(problems(plan('name: a\ntarget: [x, 3]\n'))).toEqual([
      'chaos/plan.yaml:2:13  target[1]: expected string, got number 3 (write it in quotes: "3")',
    ]);
    // Neither alternative's type fits.
    expect(problems(plan('name: a\ntarget: 7\n'))).toEqual([
      'chaos/plan.yaml:2:9  target: expected string or list, got number 7',
    ]);
    // A union that carries its own wording (durations) uses it.
    expect(problems(plan('name: a\nfaults:\n  - {kind: down, link: x, duration: 30 seconds}\n'))).toEqual([
      'chaos/plan.yaml:3:37  faults[0].duration: expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds (got "30 seconds")',
    ]);
  });

  test('several problems are reported together, sorted by line', () => {
    const text = [
      'name: chaos',
      'faults:',
      '  - kind: down',
      '    link: app-db-primary',
      '    duration: -1',
      '  - kind: latncy',
      '    lnk: lb-app',
      'repeat: 0',
    ].join('\n');
    expect(problems(plan(text))).toEqual([
      '6 problems in fault plan file chaos/plan.yaml:',
      'chaos/plan.yaml:5:15  faults[0].duration: expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds (got -1)',
      'chaos/plan.yaml:6:5  faults[1]: missing required key "duration"',
      'chaos/plan.yaml:6:5  faults[1]: missing required key "link"',
      'chaos/plan.yaml:6:11  faults[1].kind: expected one of latency, down, kill, got "latncy" (did you mean "latency"?)',
      'chaos/plan.yaml:7:5  faults[1]: unknown key "lnk" (did you mean "link"?)',
      'chaos/plan.yaml:8:9  repeat: must be >= 1 (got 0)',
    ]);
  });

  test('a nested path inside a list is located and named', () => {
    const text = [
      'name: staging',
      'provider: existing',
      'existing:',
      '  url: https://mm.example.gov',
      '  toxiproxy:',
      '    - api: 127.0.0.1:8474',
    ].join('\n');
    expect(problems(() => parseConfigText(text, 'environments/staging.yaml', EnvironmentSchema))).toEqual([
      'environments/staging.yaml:6:12  existing.toxiproxy[0].api: expected an http:// or https:// URL (got "127.0.0.1:8474")',
    ]);
  });

  test('an empty file is a problem of its own', () => {
    expect(problems(plan('# nothing here\n'))).toEqual(['chaos/plan.yaml:1:1  the file is empty']);
    expect(problems(plan('just text\n'))).toEqual([
      'chaos/plan.yaml:1:1  expected mapping, got string "just text"',
    ]);
  });

  test('problems carry the fields separately for tools', () => {
    let caught: unknown;
    try {
      parseConfigText('name: a\nrepeat: two\n', FILE, PlanSchema);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toBeInstanceOf(UsageError);
    const error = caught as ConfigError;
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.problems).toEqual<ConfigProblem[]>([
      {
        file: FILE,
        line: 2,
        column: 9,
        path: 'repeat',
        message: 'expected integer, got string "two"',
        expected: 'integer',
        got: 'string "two"',
      },
    ]);
  });
});

describe('parseConfigTextChecked', () => {
  test('semantic issues are located like schema problems, and see what the file itself wrote', async () => {
    const run = parseConfigTextChecked(
      'name: a\nfaults:\n  - {kind: kill, link: x, duration: 5s}\n',
      FILE,
      PlanSchema,
      {
        kind: 'fault plan',
        check: (value, context) => [
          { path: ['faults', 0, 'duration'], message: 'a kill has no duration' },
          {
            path: ['faults', 0, 'kind'],
            anchor: 'key',
            message: `after written: ${context.written(['faults', 0, 'after'])}`,
          },
          { path: ['repeat'], message: `repeat defaults to ${value.repeat}` },
        ],
      },
    );
    await expect(run).rejects.toThrow(
      [
        '3 problems in fault plan file chaos/plan.yaml:',
        'chaos/plan.yaml:1:1  repeat: repeat defaults to 1',
        'chaos/plan.yaml:3:6  faults[0].kind: after written: false',
        'chaos/plan.yaml:3:37  faults[0].duration: a kill has no duration',
      ].join('\n'),
    );
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmdrill-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads the file and names it in problems as the user gave it', async () => {
    const path = join(dir, 'plan.yaml');
    await writeFile(path, 'name: a\nrepeat: 0\n');
    await expect(loadConfigFile(path, PlanSchema, { kind: 'fault plan' })).rejects.toThrow(
      `${path}:2:9  repeat: must be >= 1 (got 0)`,
    );
    await writeFile(path, 'name: a\n');
    await expect(loadConfigFile(path, PlanSchema, { kind: 'fault plan' })).resolves.toMatchObject({
      repeat: 1,
    });
  });

  test('a path inside the working directory is shown relative to it', async () => {
    const path = join(process.cwd(), 'environments', 'does-not-exist.yaml');
    const error = await loadConfigFile(path, PlanSchema, { kind: 'environment' }).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `cannot read environment file ${relative(process.cwd(), path)}: no such file`,
    );
  });
});
