// Mattermost's published reference architectures (docs/reference-architectures.md):
// the tier a target user count needs, and what this stack's measured figure says beside it.

export interface ReferenceTier {
  users: number;
  appNodes: string;
  dbWriter: string;
  dbReaders: number;
  searchNodes: string;
  proxy: string;
}

/** Established by Mattermost on v9.5 ESR, PostgreSQL 14, ~100 M posts, 4 logins/s. */
export const REFERENCE_TIERS: readonly ReferenceTier[] = [
  {
    users: 200,
    appNodes: '1 × c7i.large',
    dbWriter: 'db.r7g.large',
    dbReaders: 0,
    searchNodes: 'none',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 2_000,
    appNodes: '2 × c7i.large',
    dbWriter: 'db.r7g.large',
    dbReaders: 1,
    searchNodes: '2 × r6g.xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 15_000,
    appNodes: '2 × c7i.xlarge',
    dbWriter: 'db.r7g.xlarge',
    dbReaders: 1,
    searchNodes: '2 × r6g.xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 30_000,
    appNodes: '2 × c7i.2xlarge',
    dbWriter: 'db.r7g.2xlarge',
    dbReaders: 1,
    searchNodes: '4 × r6g.2xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 50_000,
    appNodes: '5 × c7i.2xlarge',
    dbWriter: 'db.r7g.2xlarge',
    dbReaders: 4,
    searchNodes: '4 × r6g.2xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 80_000,
    appNodes: '4 × c7i.4xlarge',
    dbWriter: 'db.r7g.4xlarge',
    dbReaders: 3,
    searchNodes: '4 × r6g.2xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 90_000,
    appNodes: '5 × c7i.4xlarge',
    dbWriter: 'db.r7g.4xlarge',
    dbReaders: 4,
    searchNodes: '4 × r6g.2xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 100_000,
    appNodes: '6 × c7i.4xlarge',
    dbWriter: 'db.r7g.4xlarge',
    dbReaders: 5,
    searchNodes: '4 × r6g.2xlarge',
    proxy: 'm7i.4xlarge',
  },
  {
    users: 200_000,
    appNodes: '14 × c7i.4xlarge',
    dbWriter: 'db.r7g.4xlarge',
    dbReaders: 6,
    searchNodes: '4 × r6g.2xlarge',
    proxy: '4 × m6in.8xlarge, Redis cache.m7g.2xlarge',
  },
];

/** The smallest tier whose user count covers `users`; undefined above the largest. */
export function tierFor(
  users: number,
  tiers: readonly ReferenceTier[] = REFERENCE_TIERS,
): ReferenceTier | undefined {
  return tiers.find((t) => t.users >= users);
}

export interface TierRecommendation {
  /** The users the tier was chosen for (`--target-users`, else the measured figure). */
  targetUsers: number;
  targetGiven: boolean;
  /** Null when the target is above every published tier. */
  tier: ReferenceTier | null;
  /** This stack's supported users over the target, minus 1 (0.15 = 15 % headroom); null without a figure. */
  headroom: number | null;
  /** The recommendation in words, stated as guidance. */
  text: string;
}

const CAVEAT =
  'This is guidance, not a promise: Mattermost sized its tiers with its own load tool on v9.5 ESR with about 100 million posts; your data volume, plugins, integrations and usage pattern move the figure, so confirm with a run on the hardware you choose.';

export function recommendTier(target: number | undefined, supported: number | null): TierRecommendation {
  const targetGiven = target !== undefined;
  const users = target ?? supported ?? 0;
  const tier = tierFor(users) ?? null;
  const headroom = targetGiven && supported !== null && users > 0 ? round(supported / users - 1, 3) : null;
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const parts: string[] = [];
  const forWhat = targetGiven
    ? `For a target of ${n(users)} users`
    : `For the ${n(users)} users this stack supported`;
  if (tier === null)
    parts.push(
      `${forWhat}, no published reference architecture is large enough (the largest is ${n(REFERENCE_TIERS.at(-1)!.users)} users): plan a custom deployment with Mattermost's guidance.`,
    );
  else
    parts.push(
      `${forWhat}, the smallest published reference architecture is the ${n(tier.users)}-user tier: app nodes ${tier.appNodes}, database writer ${tier.dbWriter}, ${tier.dbReaders} reader(s), search nodes ${tier.searchNodes}, proxy ${tier.proxy}.`,
    );
  if (supported === null) parts.push('This stack gave no supported figure to compare with.');
  else if (headroom !== null)
    parts.push(
      headroom >= 0
        ? `This stack, as measured, supported ${n(supported)} users: ${Math.round(headroom * 100)} % headroom over the target.`
        : `This stack, as measured, supported ${n(supported)} users: ${Math.round(-headroom * 100)} % short of the target.`,
    );
  else parts.push(`This stack, as measured, supported ${n(supported)} users (no --target-users given).`);
  parts.push(CAVEAT);
  return { targetUsers: users, targetGiven, tier, headroom, text: parts.join(' ') };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
