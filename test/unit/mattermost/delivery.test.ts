import { describe, expect, it } from 'vitest';
import { combinedSummary, DeliveryTracker } from '../../../src/mattermost/delivery.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import type { SeriesSnapshot } from '../../../src/metrics/sinks.js';

// The delivery tracker on synthetic events: who is owed a post, the three ways to receive it, and
// what counts as missed.

const CHANNEL = 'c'.repeat(26);

function setup(options: { giveUpAfterMs?: number } = {}) {
  const metrics = new MetricsRegistry();
  const tracker = new DeliveryTracker({ metrics, ...options });
  // VUs 0..3 in the channel, all online; VU 4 elsewhere.
  for (let vu = 0; vu < 5; vu++) {
    tracker.setUser(vu, `user${vu}`);
    tracker.setOnline(vu, true);
    if (vu < 4) tracker.join(vu, [CHANNEL]);
  }
  const count = (key: string) => {
    const s: SeriesSnapshot | undefined = metrics.snapshot()[key];
    return s && 'count' in s ? s.count : 0;
  };
  return { tracker, count };
}

describe('delivery tracker', () => {
  it('owes a post to every other online member and drops it once all have it', async () => {
    const { tracker, count } = setup();
    tracker.sent(0, CHANNEL, 'p1');
    tracker.acknowledged('p1', 'post1');
    expect(tracker.outstanding).toBe(1);
    tracker.received(0, { pendingPostId: 'p1' }, 'live'); // the sender's own echo: not a delivery
    tracker.received(4, { pendingPostId: 'p1' }, 'live'); // not a member: ignored
    tracker.received(1, { pendingPostId: 'p1' }, 'live');
    tracker.received(1, { pendingPostId: 'p1' }, 'live'); // a duplicate counts once
    tracker.received(2, { pendingPostId: 'p1' }, 'replay');
    expect(tracker.outstanding).toBe(1);
    tracker.received(3, { id: 'post1' }, 'refetch');
    expect(tracker.outstanding).toBe(0);
    const summary = await tracker.finish({ drainMs: 0 });
    expect(summary).toMatchObject({
      posts: 1,
      undelivered: 0,
      byPath: { live: 1, replayed: 1, refetched: 1 },
    });
    expect(summary.latency.p99).toBeGreaterThanOrEqual(0);
    expect(count('mm_delivery_latency')).toBe(3);
    expect(count('mm_delivery_latency{path:replay}')).toBe(1);
    expect(count('mm_delivery_missed')).toBe(0);
  });

  it('counts an event that beats the HTTP answer', async () => {
    const { tracker } = setup();
    tracker.sent(0, CHANNEL, 'p1');
    tracker.received(1, { pendingPostId: 'p1' }, 'live');
    tracker.received(2, { pendingPostId: 'p1' }, 'live');
    tracker.acknowledged('p1', 'post1');
    tracker.received(3, { pendingPostId: 'p1' }, 'live');
    expect(tracker.outstanding).toBe(0);
    expect((await tracker.finish({ drainMs: 0 })).byPath.live).toBe(3);
  });

  it('owes nothing to members offline at the acknowledgement', async () => {
    const { tracker } = setup();
    tracker.setOnline(2, false);
    tracker.leave(3);
    tracker.sent(0, CHANNEL, 'p1');
    tracker.acknowledged('p1', 'post1');
    tracker.setOnline(2, true);
    tracker.received(1, { pendingPostId: 'p1' }, 'live');
    expect(tracker.outstanding).toBe(0);
    expect((await tracker.finish({ drainMs: 0 })).undelivered).toBe(0);
  });

  it('owes nothing to a connection opened between the send and the acknowledgement', async () => {
    // On a slow link the answer comes seconds after the server made the post; a member whose
    // hello arrived in between had no connection when the event went out (found on limited-hf).
    const { tracker } = setup();
    tracker.setUser(5, 'user5');
    tracker.join(5, [CHANNEL]);
    tracker.sent(0, CHANNEL, 'p1');
    await new Promise((r) => setTimeout(r, 2));
    tracker.setOnline(5, true);
    tracker.acknowledged('p1', 'post1');
    for (const vu of [1, 2, 3]) tracker.received(vu, { pendingPostId: 'p1' }, 'live');
    expect(tracker.outstanding).toBe(0);
    expect((await tracker.finish({ drainMs: 0 })).undelivered).toBe(0);
  });

  it('still owes a post to a member whose connection was resumed, not replaced, after the send', async () => {
    const { tracker } = setup();
    tracker.setOnline(2, false);
    tracker.setOnline(3, false);
    tracker.sent(0, CHANNEL, 'p1');
    await new Promise((r) => setTimeout(r, 2));
    tracker.setOnline(2, true, { resumed: true }); // same server connection: the event was queued for it
    tracker.setOnline(3, true); // a new connection: nothing was queued for it
    tracker.acknowledged('p1', 'post1');
    tracker.received(1, { pendingPostId: 'p1' }, 'live');
    const summary = await tracker.finish({ drainMs: 0 });
    expect(summary.undelivered).toBe(1);
    expect(tracker.missed()).toEqual([expect.objectContaining({ postId: 'post1', memberVu: 2 })]);
  });

  it('forgets posts whose create request failed', async () => {
    const { tracker } = setup();
    tracker.sent(0, CHANNEL, 'p1');
    tracker.failed('p1');
    tracker.received(1, { pendingPostId: 'p1' }, 'live');
    expect(await tracker.finish({ drainMs: 0 })).toMatchObject({ posts: 0, undelivered: 0 });
  });

  it('counts what nobody got, after the drain and the final refetch pass', async () => {
    const { tracker, count } = setup();
    tracker.sent(0, CHANNEL, 'p1');
    tracker.acknowledged('p1', 'post1');
    tracker.sent(1, CHANNEL, 'p2');
    tracker.acknowledged('p2', 'post2');
    tracker.received(1, { pendingPostId: 'p1' }, 'live');
    const asked: [number, string[]][] = [];
    setTimeout(() => tracker.received(2, { pendingPostId: 'p1' }, 'live'), 20);
    const summary = await tracker.finish({
      drainMs: 100,
      refetch: async (vu, channels) => {
        asked.push([vu, channels]);
        // VU 3 finds both posts by refetching; VU 0 and 2 do not refetch.
        if (vu === 3) for (const id of ['post1', 'post2']) tracker.received(3, { id }, 'refetch');
      },
    });
    expect(asked.map(([vu]) => vu).sort()).toEqual([0, 2, 3]);
    expect(asked[0]![1]).toEqual([CHANNEL]);
    expect(summary).toMatchObject({
      posts: 2,
      undelivered: 2,
      byPath: { live: 2, replayed: 0, refetched: 2 },
    });
    expect(tracker.missed()).toEqual(
      expect.arrayContaining([
        { postId: 'post2', channelId: CHANNEL, senderVu: 1, memberVu: 0 },
        { postId: 'post2', channelId: CHANNEL, senderVu: 1, memberVu: 2 },
      ]),
    );
    expect(count('mm_delivery_missed')).toBe(2);
  });

  it('gives up on posts still owed long after, so memory stays bounded', async () => {
    const { tracker } = setup({ giveUpAfterMs: 20 });
    tracker.sent(0, CHANNEL, 'p1');
    tracker.acknowledged('p1', 'post1');
    tracker.sent(0, CHANNEL, 'unanswered');
    await new Promise((r) => setTimeout(r, 40));
    tracker.sent(0, CHANNEL, 'p2');
    expect(tracker.outstanding).toBe(0);
    expect(tracker.missed()).toHaveLength(3);
    tracker.received(1, { pendingPostId: 'unanswered' }, 'live');
    expect(tracker.summary().posts).toBe(1);
  });

  it('maps users to VUs for channels opened during the run', async () => {
    const { tracker } = setup();
    const dm = 'd'.repeat(26);
    tracker.join(0, [dm]);
    tracker.joinUsers(dm, ['user0', 'user4']);
    tracker.sent(0, dm, 'p1');
    tracker.acknowledged('p1', 'post1');
    expect(tracker.outstanding).toBe(1);
    tracker.received(4, { pendingPostId: 'p1' }, 'live');
    expect(tracker.outstanding).toBe(0);
  });

  it('combines the summaries of several trackers', async () => {
    const a = setup().tracker;
    const b = setup().tracker;
    for (const [t, n] of [
      [a, 1],
      [b, 2],
    ] as const) {
      t.sent(0, CHANNEL, `p${n}`);
      t.acknowledged(`p${n}`, `post${n}`);
      for (const vu of [1, 2, 3]) t.received(vu, { id: `post${n}` }, 'live');
    }
    expect(combinedSummary([a, b])).toMatchObject({ posts: 2, undelivered: 0, byPath: { live: 6 } });
  });
});
