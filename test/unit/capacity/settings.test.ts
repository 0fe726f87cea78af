import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../src/capacity/settings.js';
import { packageRoot } from '../../../src/common/package-root.js';
import { loadScenarioFile } from '../../../src/load/scenario.js';

// What one capacity run does: the shipped scenario's section, the defaults without one, and the
// command line over both.

const shipped = () => loadScenarioFile(join(packageRoot(), 'scenarios', 'capacity.yaml'));

describe('capacity settings', () => {
  it("the shipped scenario searches with Mattermost's settings and the reference criteria", async () => {
    const settings = resolveSettings(await shipped(), {});
    expect(settings).toMatchObject({
      scenarioName: 'users',
      step: 8,
      restMs: 2_000,
      settleMs: 30 * 60_000,
      maxUsers: 2_000,
    });
    expect(settings.criteria.map((c) => c.id)).toEqual([
      'client-5xx',
      'client-timeouts',
      'avg-latency',
      'p99-latency',
      'server-5xx',
      'app-cpu',
      'app-memory',
    ]);
    expect(settings.bounded).toBeUndefined();
  });

  it('flags override the file: the short form, and bounded mode with its hold', async () => {
    const scenario = await shipped();
    expect(
      resolveSettings(scenario, { step: 4, restMs: 1_000, settleMs: 30_000, maxUsers: 200 }),
    ).toMatchObject({
      step: 4,
      restMs: 1_000,
      settleMs: 30_000,
      maxUsers: 200,
    });
    const bounded = resolveSettings(scenario, { users: 3_000 });
    expect(bounded.bounded).toEqual({ users: 3_000, holdMs: 5 * 60_000 }); // the scenario's duration
    expect(bounded.maxUsers).toBe(3_000);
  });

  it('a scenario without a capacity section gets the defaults', async () => {
    const scenario = await loadScenarioFile(join(packageRoot(), 'scenarios', 'messaging.yaml'));
    expect(resolveSettings(scenario, {})).toMatchObject({ scenarioName: 'users', step: 8, maxUsers: 2_000 });
  });

  it('a maximum below the step names the flag that set it', async () => {
    const scenario = await shipped();
    expect(() => resolveSettings(scenario, { maxUsers: 4 })).toThrow(
      /^--max-users 4: the maximum users \(4\) must be at least one step \(8\)$/,
    );
    expect(() => resolveSettings(scenario, { step: 4_000 })).toThrow(/^--step 4000: the maximum users/);
  });
});
