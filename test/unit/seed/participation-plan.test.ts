import { describe, expect, it } from 'vitest';
import { planSeed } from '../../../src/seed/plan.js';
import { BUILT_IN_SHAPES, type SeedShape } from '../../../src/seed/shape.js';

// Where each user replies in a thread and leaves a draft (a workspace in use): in every team, in
// channels the user is a member of, replies only where there is history to reply to, spread over
// the team's channels.

function perTeam(plan: ReturnType<typeof planSeed>, key: 'threadRepliers' | 'drafters') {
  const counts = new Map<string, number>();
  for (const c of plan.channels) {
    for (const i of c[key]) {
      expect(c.members).toContain(i);
      const k = `${c.team}/${i}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

describe('seed plan: participation', () => {
  it('gives every user of the medium shape one thread reply and one draft in each team', () => {
    const plan = planSeed(BUILT_IN_SHAPES.medium!);
    for (const key of ['threadRepliers', 'drafters'] as const) {
      const counts = perTeam(plan, key);
      expect(counts.size).toBe(plan.users.length * plan.teams.length);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    }
    // Spread: no channel carries more than twice its fair share of the replies.
    const fair = plan.users.length / (plan.channels.length / plan.teams.length);
    expect(Math.max(...plan.channels.map((c) => c.threadRepliers.length))).toBeLessThanOrEqual(2 * fair);
    expect(plan.channels.every((c) => c.threadRepliers.length > 0)).toBe(true);
  });

  it('replies only in channels with history, and plans nothing when asked for none', () => {
    const shape: SeedShape = {
      ...BUILT_IN_SHAPES.small!,
      name: 'sparse',
      channels: 10,
      posts: 3, // channels 4..10 have no history
      threadRepliesPerUser: 2,
      draftsPerUser: 3,
    };
    const plan = planSeed(shape);
    expect(plan.channels.filter((c) => c.posts === 0).every((c) => c.threadRepliers.length === 0)).toBe(true);
    const replies = perTeam(plan, 'threadRepliers');
    const drafts = perTeam(plan, 'drafters');
    expect([...replies.values()].every((n) => n >= 1 && n <= 2)).toBe(true);
    expect([...drafts.values()].every((n) => n === 3)).toBe(true);
    expect(drafts.size).toBe(shape.users);

    const none = planSeed({ ...shape, threadRepliesPerUser: 0, draftsPerUser: 0 });
    expect(none.channels.every((c) => c.threadRepliers.length === 0 && c.drafters.length === 0)).toBe(true);
  });

  it('defaults to one reply and one draft per user and team for shape files without the fields', () => {
    const { threadRepliesPerUser: _r, draftsPerUser: _d, ...bare } = BUILT_IN_SHAPES.small!;
    const plan = planSeed(bare);
    expect([...perTeam(plan, 'drafters').values()].every((n) => n === 1)).toBe(true);
    expect(perTeam(plan, 'threadRepliers').size).toBe(bare.users);
  });
});
