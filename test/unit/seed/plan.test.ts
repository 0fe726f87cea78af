import { describe, expect, it } from 'vitest';
import { planSeed } from '../../../src/seed/plan.js';
import { BUILT_IN_SHAPES, type SeedShape } from '../../../src/seed/shape.js';

// The seed plan: names, channel types, memberships and post counts, computed without a server.

describe('seed plan', () => {
  it('plans the small shape', () => {
    const plan = planSeed(BUILT_IN_SHAPES.small!);
    expect(plan.teams.map((t) => t.name)).toEqual(['small-team-1']);
    expect(plan.users).toHaveLength(100);
    expect(plan.users[0]).toEqual({ username: 'small-u001', email: 'small-u001@mmdrill.invalid' });
    expect(plan.channels).toHaveLength(10);
    expect(plan.channels.filter((c) => c.type === 'P')).toHaveLength(2);
    expect(plan.channels.reduce((n, c) => n + c.posts, 0)).toBe(1000);
    // Every user in exactly channelsPerUser channels; every channel ~ users·5/10 members.
    const perUser = new Map<number, number>();
    for (const c of plan.channels) for (const i of c.members) perUser.set(i, (perUser.get(i) ?? 0) + 1);
    expect([...perUser.values()].every((n) => n === 5)).toBe(true);
    expect(plan.channels.every((c) => c.members.length === 50)).toBe(true);
  });

  it('spreads the medium shape over two teams', () => {
    const plan = planSeed(BUILT_IN_SHAPES.medium!);
    expect(plan.teams).toHaveLength(2);
    expect(plan.channels).toHaveLength(50);
    expect(plan.channels.filter((c) => c.team === 'medium-team-1')).toHaveLength(25);
    expect(plan.users.every((u) => u.username.length <= 22)).toBe(true);
    expect(plan.channels.reduce((n, c) => n + c.posts, 0)).toBe(10_000);
    expect(new Set(plan.channels.map((c) => c.name)).size).toBe(50);
    const perUser = new Map<number, number>();
    for (const c of plan.channels) for (const i of c.members) perUser.set(i, (perUser.get(i) ?? 0) + 1);
    expect([...perUser.values()].every((n) => n === 20)).toBe(true); // 10 in each of 2 teams
  });

  it('is the same plan every time, with uneven remainders spread', () => {
    const shape: SeedShape = {
      ...BUILT_IN_SHAPES.small!,
      name: 'odd',
      teams: 3,
      channels: 7,
      users: 11,
      posts: 10,
      channelsPerUser: 9,
    };
    const a = planSeed(shape);
    expect(planSeed(shape)).toEqual(a);
    expect(a.channels.map((c) => c.team)).toEqual([
      'odd-team-1',
      'odd-team-1',
      'odd-team-1',
      'odd-team-2',
      'odd-team-2',
      'odd-team-3',
      'odd-team-3',
    ]);
    expect(a.channels.map((c) => c.posts)).toEqual([2, 2, 2, 1, 1, 1, 1]);
    // channelsPerUser is capped at the team's channel count.
    expect(a.channels.every((c) => c.members.length === 11)).toBe(true);
  });
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('seed shape files', () => {
  it('loads a shape file and reports its errors by file, line and field', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { resolveShape } = await import('../../../src/seed/shape.js');
    const dir = await mkdtemp(join(tmpdir(), 'mmdrill-shape-'));
    try {
      const good = join(dir, 'good.yaml');
      await writeFile(good, 'name: tiny\nteams: 1\nchannels: 2\nusers: 5\nposts: 10\n');
      expect(await resolveShape(good)).toMatchObject({ name: 'tiny', channelsPerUser: 5, privateShare: 0.2 });

      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, 'name: tiny\nteams: 3\nchannels: 2\nusers: 5\nposts: 10\nchanels: 4\n');
      const err = await failure(resolveShape(bad));
      expect(err.message).toMatch(/bad\.yaml:6:1 +unknown key "chanels" \(did you mean "channels"\?\)/);
      const err2 = await failure(resolveShape(good.replace('good', 'missing')));
      expect(err2.message).toMatch(/unknown shape/);

      const semantic = join(dir, 'semantic.yaml');
      await writeFile(semantic, 'name: tiny\nteams: 3\nchannels: 2\nusers: 5\nposts: 10\n');
      expect((await failure(resolveShape(semantic))).message).toMatch(
        /semantic\.yaml:3:\d+ +channels: every team needs a channel/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
