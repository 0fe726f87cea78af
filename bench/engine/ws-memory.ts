import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import { bringUp, seededDouble, userModel } from './mattermost-users.js';
import type { Section, SectionOptions } from './sections.js';

// Harness memory per idle connected user: N users logged in with their WebSocket open and doing
// nothing; heap + external memory (after a forced GC; run node with --expose-gc) and RSS, measured
// before and after, divided by N.

const USERS = 1_000;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function usage() {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}

async function section({ dir, say }: SectionOptions): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc)
    say('  (no --expose-gc: figures include garbage not yet collected)');
  const seeded = await seededDouble(dir, USERS, say);
  const controller = new AbortController();
  const model = userModel(seeded, new MetricsRegistry());
  try {
    await sleep(1_000);
    const before = usage();
    await bringUp(model, USERS, controller.signal);
    await sleep(5_000);
    const after = usage();
    const heapKb = (after.heap - before.heap) / USERS / 1024;
    const rssKb = (after.rss - before.rss) / USERS / 1024;
    say(
      `  ${USERS} idle connected users: heap+external ${heapKb.toFixed(1)} KB per user, RSS ${rssKb.toFixed(1)} KB per user (goal ≤ 50 KB)`,
    );
    say(
      JSON.stringify({
        section: 'ws-memory',
        users: USERS,
        heapKbPerUser: Number(heapKb.toFixed(1)),
        rssKbPerUser: Number(rssKb.toFixed(1)),
      }),
    );
  } finally {
    controller.abort();
    await model.close();
    await seeded.cluster.stop();
  }
}

export const wsMemory: Section = {
  name: 'ws-memory',
  title: `harness memory per idle connected WebSocket user (${USERS} users; goal ≤ 50 KB)`,
  run: section,
};
