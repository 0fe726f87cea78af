import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, test } from 'vitest';
import type { DeliverySummary, MissedDelivery } from '../../../src/mattermost/delivery.js';
import { AuditReportSchema } from '../../../src/summary/summary-schema.js';
import { readBackPosts, readBackThrough } from '../../../src/verdict/audit-posts.js';
import { auditFailures, auditReport, auditRun, deliveryAudit } from '../../../src/verdict/audits.js';

const delivery = (over: Partial<DeliverySummary> = {}): DeliverySummary => ({
  posts: 10,
  latency: { p50: 5, p95: 9, p99: 12 },
  undelivered: 0,
  byPath: { live: 40, replayed: 3, refetched: 2 },
  ...over,
});

const miss = (i: number): MissedDelivery => ({
  postId: `p${i}`,
  channelId: 'c1',
  senderVu: 0,
  memberVu: i + 1,
});

describe('audit report', () => {
  test('nothing lost, nothing missed: ok', () => {
    const report = auditReport({ checked: 10, lost: [], unverified: [] }, delivery(), []);
    expect(report).toEqual({
      acknowledgedPosts: 10,
      lostPosts: 0,
      lostPostIds: [],
      unverifiedPosts: 0,
      expectedDeliveries: 45,
      missedDeliveries: 0,
      missed: [],
      ok: true,
      reason: 'all 10 acknowledged post(s) read back; all 45 delivery(ies) made',
    });
    expect(auditFailures(report)).toEqual([]);
  });

  test('lost posts and missed deliveries fail it, listing the first 20', () => {
    const lost = Array.from({ length: 25 }, (_, i) => `lost${i}`);
    const missed = Array.from({ length: 30 }, (_, i) => miss(i));
    const report = auditReport(
      { checked: 100, lost, unverified: ['u1'] },
      delivery({ undelivered: 30 }),
      missed,
    );
    expect(report).toMatchObject({
      acknowledgedPosts: 100,
      lostPosts: 25,
      unverifiedPosts: 1,
      expectedDeliveries: 75,
      missedDeliveries: 30,
      ok: false,
    });
    expect(report.lostPostIds).toEqual(lost.slice(0, 20));
    expect(report.missed).toHaveLength(20);
    expect(report.missed[0]).toEqual({ postId: 'p0', channelId: 'c1', senderVu: 0, memberVu: 1 });
    expect(report.reason).toBe(
      '25 of 100 acknowledged post(s) lost; 1 acknowledged post(s) could not be read back from any node; 30 of 75 delivery(ies) to online members missed',
    );
    expect(new Ajv({ strict: false }).validate(AuditReportSchema, report)).toBe(true);
    expect(auditFailures(report)).toEqual([
      'audit: 25 acknowledged post(s) lost (first: lost0, lost1, lost2)',
      'audit: 1 acknowledged post(s) could not be read back from any node',
      'audit: 30 of 75 delivery(ies) to online members missed',
    ]);
  });

  test('deliveries: expected = made by any path + missed', () => {
    expect(deliveryAudit(delivery({ undelivered: 2 }), [miss(0), miss(1)])).toMatchObject({
      expectedDeliveries: 47,
      missedDeliveries: 2,
    });
  });
});

// A stand-in for an app node: login, and GET /api/v4/posts/:id answering from a script per post.
type Script = (attempt: number) => number;

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

async function fakeNode(scripts: Record<string, Script>, calls: string[] = []): Promise<string> {
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url.startsWith('/api/v4/users/login')) {
      res.writeHead(200, { 'Content-Type': 'application/json', Token: 'admin-token' });
      res.end(JSON.stringify({ id: 'admin', username: 'sysadmin', roles: 'system_admin system_user' }));
      return;
    }
    const match = /^\/api\/v4\/posts\/(\w+)/.exec(url);
    if (!match || req.headers.authorization?.toLowerCase() !== 'bearer admin-token') {
      res.writeHead(401).end('{}');
      return;
    }
    const id = match[1]!;
    calls.push(id);
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    const status = (scripts[id] ?? (() => 404))(attempt);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        status === 200 ? { id } : { id: 'err', message: `status ${status}`, status_code: status },
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const admin = { username: 'sysadmin', password: 'x' };
const fast = { admin, retryForMs: 1_500, recheckAfterMs: 50, requestTimeoutMs: 1_000 };

describe('reading acknowledged posts back', () => {
  test('found, lost (404 twice), lagging (404 then found), transient 503s, and never answered', async () => {
    const url = await fakeNode({
      found: () => 200,
      lost: () => 404,
      lagging: (n) => (n === 1 ? 404 : 200),
      flaky: (n) => (n <= 2 ? 503 : 200),
      dead: () => 503,
    });
    // Room for flaky's two 503s and their back-off (1 s, then 2 s) even on a loaded machine;
    // with `fast`'s 1.5 s the deadline could pass before its third try and list it unverified.
    const result = await readBackPosts(['found', 'lost', 'lagging', 'flaky', 'dead', 'found'], {
      ...fast,
      retryForMs: 6_000,
      urls: [url],
    });
    expect(result).toEqual({ checked: 5, lost: ['lost'], unverified: ['dead'] });
  });

  test('a node that does not answer is passed over for one that does', async () => {
    const down = 'http://127.0.0.1:9'; // discard port: connection refused
    const calls: string[] = [];
    const up = await fakeNode({ a: () => 200, b: () => 200, c: () => 404 }, calls);
    const result = await readBackPosts(['a', 'b', 'c'], { ...fast, urls: [down, up] });
    expect(result).toEqual({ checked: 3, lost: ['c'], unverified: [] });
  });

  test("on a stack: every app node directly, then the users' URL", () => {
    const stack = {
      url: 'http://127.0.0.1:8065',
      admin: { username: 'sysadmin', passwordEnv: 'MMDRILL_ADMIN_PASSWORD' },
      appNodes: [
        { name: 'app-1', url: 'http://127.0.0.1:9001', metricsUrl: 'http://127.0.0.1:9101/metrics' },
        { name: 'app-2', url: 'http://127.0.0.1:9002', metricsUrl: 'http://127.0.0.1:9102/metrics' },
      ],
    };
    expect(readBackThrough(stack, 'pw')).toEqual({
      urls: ['http://127.0.0.1:9001', 'http://127.0.0.1:9002', 'http://127.0.0.1:8065'],
      admin: { username: 'sysadmin', password: 'pw' },
    });
  });

  test('auditRun puts the read-back and the delivery figures together', async () => {
    const url = await fakeNode({ a: () => 200, b: () => 404 });
    const report = await auditRun({
      acknowledgedPosts: ['a', 'b'],
      delivery: delivery(),
      missed: [],
      readBack: { ...fast, urls: [url] },
    });
    expect(report).toMatchObject({ acknowledgedPosts: 2, lostPosts: 1, lostPostIds: ['b'], ok: false });
  });
});
