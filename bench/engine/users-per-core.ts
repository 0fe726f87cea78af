import { performance } from 'node:perf_hooks';
import type { Iteration } from '../../src/load/types.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import { bringUp, seededDouble, userModel } from './mattermost-users.js';
import type { Section, SectionOptions } from './sections.js';

// Simulated users per harness core at Mattermost's production action mix and pace (idle min 1 s,
// avg 20 s, per-user rate classes), against two nodes of the test double. The harness's own CPU
// time over the measured window, divided by the window, is the share of a core N users cost.

const USERS = 1_000;
const DEFAULT_SECONDS = 60;

async function section({ dir, durationS, say }: SectionOptions): Promise<void> {
  const seconds = durationS ?? DEFAULT_SECONDS;
  const seeded = await seededDouble(dir, USERS, say);
  const controller = new AbortController();
  const metrics = new MetricsRegistry();
  const model = userModel(seeded, metrics);
  try {
    const t0 = Date.now();
    await bringUp(model, USERS, controller.signal);
    say(`  ${USERS} users logged in with WebSockets open in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // Closed model: each VU loops action + idle; the loops run until the window ends.
    const deadline = performance.now() + seconds * 1000;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const loops = Array.from({ length: USERS }, async (_, vu) => {
      let iteration = 0;
      while (performance.now() < deadline && !controller.signal.aborted) {
        const it: Iteration = {
          scenario: 'bench',
          vu,
          iteration: iteration++,
          intendedStart: performance.now(),
          openModel: false,
        };
        await model.iterate(it, controller.signal).catch(() => undefined);
      }
    });
    const stopper = setTimeout(() => controller.abort(), seconds * 1000 + 100);
    await Promise.all(loops);
    clearTimeout(stopper);
    const cpu = process.cpuUsage(cpu0);
    const wallS = (performance.now() - wall0) / 1000;
    const cores = (cpu.user + cpu.system) / 1e6 / wallS;
    const actions = metrics.query({ name: 'mm_actions', tags: {} });
    const count = actions?.type === 'counter' ? actions.count : 0;
    say(
      `  window ${wallS.toFixed(1)} s: ${count} actions (${(count / wallS).toFixed(1)}/s), harness CPU ${(cores * 100).toFixed(1)} % of one core`,
    );
    say(`  → ${Math.round(USERS / cores)} simulated users per harness core (goal ≥ 2,500)`);
    say(
      JSON.stringify({
        section: 'users-per-core',
        users: USERS,
        windowS: Number(wallS.toFixed(1)),
        actions: count,
        harnessCores: Number(cores.toFixed(3)),
        usersPerCore: Math.round(USERS / cores),
      }),
    );
  } finally {
    controller.abort();
    await model.close();
    await seeded.cluster.stop();
  }
}

export const usersPerCore: Section = {
  name: 'users-per-core',
  title: `simulated users per harness core at the production mix (${USERS} users against the double; goal ≥ 2,500)`,
  run: section,
};
