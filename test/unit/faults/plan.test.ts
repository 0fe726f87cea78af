import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/common/config-error.js';
import { packageRoot } from '../../../src/common/package-root.js';
import { type LoadFaultPlanOptions, loadFaultPlan, parseFaultPlanText } from '../../../src/faults/plan.js';
import type { Environment } from '../../../src/stack/environment.js';
import { parseEnvironmentText } from '../../../src/stack/environment-file.js';

const FILE = 'chaos/test.yaml';
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

const native = () =>
  parseEnvironmentText(lines('name: n', 'provider: native', 'appNodes: 2'), 'environments/n.yaml');
const existing = (allowDestructive: boolean) =>
  parseEnvironmentText(
    lines(
      'name: e',
      'provider: existing',
      'existing:',
      '  url: https://mm.example.gov',
      `  allowDestructive: ${allowDestructive}`,
      '  toxiproxy:',
      '    - api: http://127.0.0.1:8474',
      '      links:',
      '        users-lb: mattermost-entry',
    ),
    'environments/e.yaml',
  );

async function problems(
  text: string,
  env?: Environment,
  options: LoadFaultPlanOptions = {},
): Promise<string[]> {
  try {
    await parseFaultPlanText(text, FILE, env ?? (await native()), options);
  } catch (err) {
    if (err instanceof ConfigError)
      return err.problems.map((p) => `${p.file}:${p.line}:${p.column}  ${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** A plan with the given fault entries (each a list of `key: value` lines). */
const plan = (...faults: string[][]) =>
  lines(
    'name: t',
    'warmup: 10s',
    'faults:',
    ...faults.flatMap((f) => f.map((row, i) => `${i === 0 ? '  - ' : '    '}${row}`)),
  );

describe('fault plans shipped in chaos/', () => {
  test('every plan loads against the native environment, with its faults on the timeline', async () => {
    const env = await parseEnvironmentText(
      lines('name: native', 'provider: native', 'appNodes: 2'),
      'environments/native.yaml',
    );
    const files = (await readdir(join(packageRoot(), 'chaos'))).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(
      expect.arrayContaining([
        'app-node-kill.yaml',
        'app-node-freeze.yaml',
        'db-failover.yaml',
        'object-store-outage.yaml',
        'lb-partition.yaml',
        'db-latency.yaml',
      ]),
    );
    // The enclave cut acts on the egress watch, which native-enclave.yaml turns on.
    const enclave = await parseEnvironmentText(
      lines('name: native-enclave', 'provider: native', 'appNodes: 2', 'egressWatch: { enabled: true }'),
      'environments/native-enclave.yaml',
    );
    await expect(loadFaultPlan(join(packageRoot(), 'chaos', 'disconnected-ops.yaml'), env)).rejects.toThrow(
      /unknown target "egress-sink"/,
    );
    for (const file of files) {
      const against = file === 'disconnected-ops.yaml' ? enclave : env;
      const loaded = await loadFaultPlan(join(packageRoot(), 'chaos', file), against);
      expect(loaded.faults.length, file).toBeGreaterThan(0);
      expect(
        loaded.faults.every((f) => f.startMs >= 20_000),
        file,
      ).toBe(true);
    }
  });

  test('app-node-kill: kill app-2 after the 20 s warm-up, for 20 s; recovery counts from the end', async () => {
    const loaded = await loadFaultPlan(join(packageRoot(), 'chaos', 'app-node-kill.yaml'), await native());
    expect(loaded).toMatchObject({ name: 'app-node-kill', warmupMs: 20_000, endMs: 40_000 });
    expect(loaded.faults).toEqual([
      expect.objectContaining({
        name: 'kill-app-2',
        kind: 'kill',
        target: 'app-2',
        startMs: 20_000,
        durationMs: 20_000,
      }),
    ]);
  });
});

describe('plan entries', () => {
  test('default names are <kind>-<target>, made unique', async () => {
    const loaded = await parseFaultPlanText(
      plan(
        ['kind: latency', 'target: users-lb', 'latency: 100ms', 'start: 0s', 'duration: 5s'],
        ['kind: latency', 'target: users-lb', 'latency: 100ms', 'start: 10s', 'duration: 5s'],
        ['kind: freeze', 'target: app-1', 'start: after-warmup', 'duration: 5s'],
      ),
      FILE,
      await native(),
    );
    expect(loaded.faults.map((f) => [f.name, f.startMs, f.durationMs])).toEqual([
      ['latency-users-lb', 0, 5000],
      ['latency-users-lb-2', 10_000, 5000],
      ['freeze-app-1', 10_000, 5000],
    ]);
  });

  test('durationScale shortens durations and timeline fields, not starts or link figures', async () => {
    const loaded = await parseFaultPlanText(
      plan(
        ['kind: kill', 'target: app-2', 'start: 30s', 'duration: 1m', 'restartAfter: 40s'],
        ['kind: latency', 'target: users-lb', 'latency: 300ms', 'start: 30s', 'duration: 1m'],
      ),
      FILE,
      await native(),
      { durationScale: 0.1 },
    );
    const [kill, latency] = loaded.faults;
    expect(kill).toMatchObject({ startMs: 30_000, durationMs: 6000, entry: { restartAfter: 4000 } });
    expect(latency).toMatchObject({ startMs: 30_000, durationMs: 6000, entry: { latency: '300ms' } });
  });

  test('the same toxic on different streams, or one after another, does not overlap', async () => {
    await expect(
      parseFaultPlanText(
        plan(
          [
            'kind: latency',
            'target: users-lb',
            'stream: upstream',
            'latency: 1s',
            'start: 0s',
            'duration: 10s',
          ],
          [
            'kind: latency',
            'target: users-lb',
            'stream: downstream',
            'latency: 1s',
            'start: 5s',
            'duration: 10s',
          ],
          [
            'kind: latency',
            'target: users-lb',
            'stream: upstream',
            'latency: 1s',
            'start: 10s',
            'duration: 10s',
          ],
          ['kind: bandwidth', 'target: users-lb', 'stream: both', 'rate: 10', 'start: 0s', 'duration: 20s'],
        ),
        FILE,
        await native(),
      ),
    ).resolves.toMatchObject({ endMs: 20_000 });
  });
});

describe('bad fault plans: each rule with file, line and field', () => {
  test('unknown target, with a suggestion and what the environment has', async () => {
    const found = await problems(plan(['kind: kill', 'target: app-3', 'start: 0s', 'duration: 10s']));
    expect(found).toEqual([
      'chaos/test.yaml:5:13  faults[0].target: unknown target "app-3" (did you mean "app-1"?); this environment has users-lb, lb-app, app-db-primary, app-db-replica, app-object-store, users-turn, lb-app-1, lb-app-2, postgres-primary, postgres-replica, object-store, toxiproxy, rtcd, coturn, app-1, app-2, nginx',
    ]);
  });

  test('negative and zero durations', async () => {
    const negative = await problems(plan(['kind: freeze', 'target: app-1', 'start: 0s', 'duration: -30s']));
    expect(negative).toEqual([
      'chaos/test.yaml:7:15  faults[0].duration: duration must not be negative (got "-30s")',
    ]);
    const startNegative = await problems(
      plan(['kind: freeze', 'target: app-1', 'start: -5', 'duration: 3s']),
    );
    expect(startNegative).toEqual([
      'chaos/test.yaml:6:12  faults[0].start: start must not be negative (got -5)',
    ]);
    const zero = await problems(plan(['kind: freeze', 'target: app-1', 'start: 0s', 'duration: 0s']));
    expect(zero).toEqual(['chaos/test.yaml:7:15  faults[0].duration: duration must be longer than 0s']);
  });

  test('two toxics of the same type and stream overlapping on one proxy', async () => {
    const found = await problems(
      plan(
        ['kind: latency', 'target: lb-app', 'latency: 100ms', 'start: 0s', 'duration: 30s'],
        [
          'name: slow-2',
          'kind: latency',
          'target: lb-app-2',
          'stream: both',
          'latency: 1s',
          'start: 20s',
          'duration: 30s',
        ],
      ),
    );
    expect(found).toEqual([
      'chaos/test.yaml:14:12  faults[1].start: "slow-2" overlaps "latency-lb-app" (faults[0]) from 20s to 30s: two latency toxics on the downstream stream of proxy lb-app-2',
    ]);
  });

  test('a partition overlapping anything on the same link', async () => {
    const found = await problems(
      plan(
        ['kind: latency', 'target: lb-app-1', 'latency: 100ms', 'start: 0s', 'duration: 30s'],
        ['kind: partition', 'target: lb-app', 'start: 10s', 'duration: 5s'],
      ),
    );
    expect(found).toEqual([
      'chaos/test.yaml:11:12  faults[1].start: "partition-lb-app" overlaps "latency-lb-app-1" (faults[0]) from 10s to 15s: proxy lb-app-1 is down (partition) while latency acts on it',
    ]);
  });

  test('two process faults overlapping on one component', async () => {
    const found = await problems(
      plan(
        ['kind: freeze', 'target: app-1', 'start: 10s', 'duration: 30s'],
        ['kind: kill', 'target: app-1', 'start: 0s', 'duration: 15s'],
      ),
    );
    expect(found).toEqual([
      'chaos/test.yaml:6:12  faults[0].start: "freeze-app-1" overlaps "kill-app-1" (faults[1]) from 10s to 15s: two process faults (kill, freeze) on app-1 at once',
    ]);
  });

  test('a fault starting after the run ends (when the run length is known)', async () => {
    const found = await problems(
      plan(['kind: freeze', 'target: app-1', 'start: 2m', 'duration: 10s']),
      undefined,
      {
        runDurationMs: 60_000,
      },
    );
    expect(found).toEqual([
      'chaos/test.yaml:6:12  faults[0].start: "freeze-app-1" starts at 2m, when the run (1m) has ended',
    ]);
  });

  test('"after-warmup" without a warm-up', async () => {
    const text = lines(
      'name: t',
      'faults:',
      '  - kind: freeze',
      '    target: app-1',
      '    start: after-warmup',
      '    duration: 5s',
    );
    expect(await problems(text)).toEqual([
      'chaos/test.yaml:5:12  faults[0].start: start "after-warmup" needs the plan\'s warm-up length: add warmup (e.g. warmup: 30s)',
    ]);
  });

  test('a kind aimed at the wrong sort of target', async () => {
    const found = await problems(
      plan(
        ['kind: latency', 'target: app-1', 'latency: 1s', 'start: 0s', 'duration: 5s'],
        ['kind: kill', 'target: users-lb', 'start: 0s', 'duration: 5s'],
        ['kind: freeze', 'target: toxiproxy', 'start: 0s', 'duration: 5s'],
        ['kind: db-failover', 'target: app-2', 'start: 0s', 'duration: 5s'],
      ),
    );
    expect(found).toEqual([
      'chaos/test.yaml:5:13  faults[0].target: latency acts on a link or proxy (users-lb, lb-app, lb-app-2, app-db-primary…), and app-1 is a component',
      'chaos/test.yaml:10:13  faults[1].target: kill acts on a component (app-1, postgres-primary, nginx…), and users-lb is a link',
      "chaos/test.yaml:14:13  faults[2].target: toxiproxy carries the links' faults; it cannot be a fault's target itself",
      'chaos/test.yaml:18:13  faults[3].target: db-failover acts on the database primary (postgres-primary), not app-2',
    ]);
  });

  test('db-failover needs a replica', async () => {
    const env = await parseEnvironmentText(
      lines('name: n', 'provider: native', 'database:', '  replica: false'),
      'environments/n.yaml',
    );
    const found = await problems(
      plan(['kind: db-failover', 'target: postgres-primary', 'start: 0s', 'duration: 5s']),
      env,
    );
    expect(found).toEqual([
      'chaos/test.yaml:4:11  faults[0].kind: db-failover needs a database replica to promote: set database.replica: true in the environment',
    ]);
  });

  test('existing: only the proxies it lists, destructive kinds only with allowDestructive', async () => {
    const faults = plan(
      ['kind: latency', 'target: users-lb', 'latency: 1s', 'start: 0s', 'duration: 5s'],
      ['kind: partition', 'target: mattermost-entry', 'start: 10s', 'duration: 5s'],
      ['kind: kill', 'target: app-1', 'start: 20s', 'duration: 5s'],
    );
    expect(await problems(faults, await existing(false))).toEqual([
      'chaos/test.yaml:9:11  faults[1].kind: partition is destructive: against an existing deployment it needs existing.allowDestructive: true in the environment',
      'chaos/test.yaml:13:11  faults[2].kind: kill is destructive: against an existing deployment it needs existing.allowDestructive: true in the environment',
      'chaos/test.yaml:14:13  faults[2].target: unknown target "app-1"; an existing deployment offers only the proxies its environment lists (users-lb, mattermost-entry)',
    ]);
    expect(await problems(faults, await existing(true))).toEqual([
      'chaos/test.yaml:14:13  faults[2].target: unknown target "app-1"; an existing deployment offers only the proxies its environment lists (users-lb, mattermost-entry)',
    ]);
  });

  test('unknown kind, unknown key, kind and profile together, duplicate names', async () => {
    expect(await problems(plan(['kind: latncy', 'target: users-lb', 'start: 0s', 'duration: 5s']))).toEqual([
      expect.stringMatching(
        /^chaos\/test\.yaml:4:11 {2}faults\[0\]\.kind: expected one of latency, .*got "latncy" \(did you mean "latency"\?\)$/,
      ),
    ]);
    expect(
      await problems(
        plan(['kind: latency', 'target: users-lb', 'rate: 10', 'latency: 1s', 'start: 0s', 'duration: 5s']),
      ),
    ).toEqual(['chaos/test.yaml:6:5  faults[0]: unknown key "rate"']);
    expect(
      await problems(
        plan(['kind: partition', 'profile: denied', 'target: users-lb', 'start: 0s', 'duration: 5s']),
      ),
    ).toEqual([
      'chaos/test.yaml:5:5  faults[0].profile: an entry is either a fault (kind) or a DDIL profile (profile), not both',
    ]);
    expect(
      await problems(
        plan(
          ['name: x', 'kind: freeze', 'target: app-1', 'start: 0s', 'duration: 5s'],
          ['name: x', 'kind: freeze', 'target: app-2', 'start: 0s', 'duration: 5s'],
        ),
      ),
    ).toEqual([
      'chaos/test.yaml:9:11  faults[1].name: name "x" is already used by faults[0]; names must be unique',
    ]);
  });

  test("an entry's fields are checked against its own kind only", async () => {
    const text = plan([
      'kind: latency',
      'target: users-lb',
      'latency: fast',
      'stream: sideways',
      'start: soon',
      'duration: 5s',
    ]);
    expect(await problems(text)).toEqual([
      'chaos/test.yaml:6:14  faults[0].latency: expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds (got "fast")',
      'chaos/test.yaml:7:13  faults[0].stream: expected one of upstream, downstream, both, got "sideways"',
      'chaos/test.yaml:8:12  faults[0].start: expected "after-warmup" or an offset from the load\'s start: a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds (got "soon")',
    ]);
  });

  test('kill: restartAfter within the fault', async () => {
    expect(
      await problems(
        plan(['kind: kill', 'target: app-1', 'start: 0s', 'duration: 10s', 'restartAfter: 20s']),
      ),
    ).toEqual([
      "chaos/test.yaml:8:19  faults[0].restartAfter: restartAfter (20s) must not be longer than the fault's duration (10s)",
    ]);
  });
});

describe('DDIL profiles in plans', () => {
  test('a profile expands into named faults on the target link, from its start', async () => {
    const loaded = await parseFaultPlanText(
      plan(['profile: limited-satcom', 'target: users-lb', 'start: after-warmup', 'duration: 1m']),
      FILE,
      await native(),
    );
    expect(loaded.faults.map((f) => [f.name, f.kind, f.target, f.startMs, f.durationMs, f.profile])).toEqual([
      ['limited-satcom-users-lb/delay', 'latency', 'users-lb', 10_000, 60_000, 'limited-satcom'],
      ['limited-satcom-users-lb/throughput', 'bandwidth', 'users-lb', 10_000, 60_000, 'limited-satcom'],
    ]);
    expect(loaded.faults[0]!.entry).toMatchObject({ latency: '300ms', jitter: '50ms', stream: 'both' });
  });

  test('an unknown profile, a profile on a component, a profile overlapping a partition', async () => {
    expect(await problems(plan(['profile: intermitent', 'target: users-lb', 'start: 0s']))).toEqual([
      'chaos/test.yaml:4:14  faults[0].profile: no DDIL profile "intermitent" (did you mean "intermittent"?) (shipped: denied, disrupted, intermittent, limited-hf, limited-satcom; or a path to a profile file relative to the plan)',
    ]);
    expect(await problems(plan(['profile: denied', 'target: app-1', 'start: 0s']))).toEqual([
      'chaos/test.yaml:5:13  faults[0].target: profile denied: partition acts on a link or proxy (users-lb, lb-app, lb-app-2, app-db-primary…), and app-1 is a component',
    ]);
    expect(
      await problems(
        plan(
          ['profile: denied', 'target: users-lb', 'start: 0s', 'duration: 1m'],
          ['kind: latency', 'target: users-lb', 'latency: 1s', 'start: 30s', 'duration: 1m'],
        ),
      ),
    ).toEqual([
      'chaos/test.yaml:11:12  faults[1].start: "latency-users-lb" overlaps "denied-users-lb/cut" (faults[0]) from 30s to 1m: proxy users-lb is down (partition) while latency acts on it',
    ]);
  });

  test('a profile against an existing deployment without allowDestructive', async () => {
    expect(
      await problems(plan(['profile: intermittent', 'target: users-lb', 'start: 0s']), await existing(false)),
    ).toEqual([
      'chaos/test.yaml:4:14  faults[0].profile: profile intermittent: partition is destructive: against an existing deployment it needs existing.allowDestructive: true in the environment',
    ]);
  });
});
