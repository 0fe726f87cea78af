import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { VersityGateway } from '../../src/stack/native/object-store.js';
import { freePort, isPortFree } from '../../src/stack/native/ports.js';
import { PostgresCluster } from '../../src/stack/native/postgres.js';
import { ManagedProcess } from '../../src/stack/native/process.js';
import { liveManagedProcessCount } from '../../src/stack/native/process-registry.js';
import { processGroupMembers, processState } from '../../src/stack/native/procfs.js';
import { Wait } from '../../src/stack/native/wait.js';
import { ProcessLedger } from '../support/native.js';

const ledger = new ProcessLedger();

afterEach(async () => {
  const survivors = await ledger.teardown();
  expect(survivors, 'processes started by the test are still alive').toEqual([]);
  expect(liveManagedProcessCount()).toBe(0);
});

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms (last: ${String(value)})`);
    await sleep(100);
  }
}

async function startedCluster(name: string): Promise<PostgresCluster> {
  const cluster = ledger.component(new PostgresCluster({ dir: await ledger.runDir(`${name}-`), name }));
  await cluster.init();
  await cluster.start();
  ledger.pid(...cluster.processes());
  return cluster;
}

async function noteCount(cluster: PostgresCluster): Promise<number> {
  const [row] = await cluster.query<{ n: number }>('SELECT count(*)::int AS n FROM notes', [], 'drill');
  return row?.n ?? -1;
}

describe('ManagedProcess', () => {
  test('fails fast with the log tail when the process exits before it is ready', async () => {
    const dir = await ledger.runDir('proc-');
    const proc = ledger.component(
      new ManagedProcess({
        name: 'doomed',
        command: '/bin/sh',
        args: ['-c', 'echo "fatal: no config"; exit 3'],
        logFile: join(dir, 'doomed.log'),
      }),
    );
    await proc.start();
    const started = Date.now();
    await expect(proc.waitFor(Wait.forListeningPort(1), 20_000)).rejects.toThrow(
      /doomed: exited \(code 3\)[\s\S]*fatal: no config/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('reports a missing binary at start', async () => {
    const dir = await ledger.runDir('proc-');
    const proc = new ManagedProcess({
      name: 'ghost',
      command: join(dir, 'no-such-binary'),
      logFile: join(dir, 'g.log'),
    });
    await expect(proc.start()).rejects.toThrow(/ghost: cannot start .*no-such-binary: spawn .* ENOENT/);
    expect(proc.isAlive()).toBe(false);
  });

  test('waits for a listening port and an HTTP status; times out with the log tail', async () => {
    const dir = await ledger.runDir('proc-');
    const port = await freePort();
    const server = `require('node:http').createServer((q, s) => { s.statusCode = 204; s.end(); })
      .listen(${port}, '127.0.0.1', () => console.log('listening'))`;
    const proc = ledger.component(
      new ManagedProcess({
        name: 'http',
        command: process.execPath,
        args: ['-e', server],
        logFile: join(dir, 'http.log'),
      }),
    );
    await proc.start();
    ledger.pid(proc.pid);
    await proc.waitFor(
      Wait.forAll(Wait.forListeningPort(port), Wait.forHttp(`http://127.0.0.1:${port}/`, { status: 204 })),
      5_000,
    );
    await expect(proc.waitFor(Wait.forLogLine(/never printed/), 300)).rejects.toThrow(
      /http: timed out after 300 ms waiting for log line[\s\S]*listening/,
    );
    await expect(
      proc.waitFor(
        Wait.forPredicate('a hung check', () => new Promise(() => {})),
        300,
      ),
    ).rejects.toThrow(/timed out after 300 ms waiting for a hung check/);
    expect((await proc.stop())?.signal).toBe('SIGTERM');
  });

  test('stop escalates to SIGKILL for the whole group when SIGTERM is ignored', async () => {
    const dir = await ledger.runDir('proc-');
    const proc = ledger.component(
      new ManagedProcess({
        name: 'stubborn',
        command: '/bin/sh',
        // The ignored TERM is inherited by the `sleep` helper, which stays in the group.
        args: ['-c', 'trap "" TERM; echo ready; sleep 30 & wait'],
        logFile: join(dir, 'stubborn.log'),
      }),
    );
    await proc.start();
    await proc.waitFor(Wait.forLogLine(/^ready$/), 5_000);
    ledger.pid(proc.pid);
    await proc.freeze();
    expect(processState(proc.pid)).toBe('T');
    await proc.thaw();
    const exit = await proc.stop({ timeoutMs: 300 });
    expect(exit?.signal).toBe('SIGKILL');
    expect(proc.isAlive()).toBe(false);
    // The `sleep` helper went with it (at most a zombie awaiting its reaper is left).
    expect(processGroupMembers(proc.pid)).toEqual([]);
  });
});

describe('PostgresCluster', () => {
  test('streams to a hot standby, which can be promoted and then takes writes', async () => {
    const primary = await startedCluster('primary');
    await primary.createDatabase('drill');
    await primary.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)', [], 'drill');
    await primary.query(`INSERT INTO notes (body) VALUES ('before clone')`, [], 'drill');

    const replica = ledger.component(await primary.createReplica({ dir: await ledger.runDir('replica-') }));
    await replica.start();
    ledger.pid(...replica.processes());
    expect(await replica.isInRecovery()).toBe(true);
    expect(await noteCount(replica)).toBe(1);

    // A row written after the clone can only arrive through streaming replication.
    await primary.query(`INSERT INTO notes (body) VALUES ('after clone')`, [], 'drill');
    await eventually(
      () => noteCount(replica),
      (n) => n === 2,
    );
    await expect(replica.query(`INSERT INTO notes (body) VALUES ('x')`, [], 'drill')).rejects.toThrow(
      /read-only/,
    );

    await primary.kill();
    await replica.promote();
    expect(await replica.isInRecovery()).toBe(false);
    await replica.query(`INSERT INTO notes (body) VALUES ('on promoted')`, [], 'drill');
    expect(await noteCount(replica)).toBe(3);
  });

  test('keeps committed rows through SIGKILL and restart, and loses uncommitted ones', async () => {
    const primary = await startedCluster('crashy');
    await primary.createDatabase('drill');
    await primary.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)', [], 'drill');
    await primary.query(
      `INSERT INTO notes (body) SELECT 'row ' || g FROM generate_series(1, 500) g`,
      [],
      'drill',
    );

    // An open transaction holds a backend at the moment of the crash.
    const open = new pg.Client({ connectionString: primary.url('drill') });
    open.on('error', () => undefined);
    await open.connect();
    await open.query('BEGIN');
    await open.query(`INSERT INTO notes (body) VALUES ('never committed')`);

    const port = primary.port;
    const firstPid = primary.pid;
    ledger.pid(...primary.processes());
    await primary.kill();
    await open.end().catch(() => undefined);
    expect(primary.processes()).toEqual([]);
    expect(processState(firstPid)).toBeUndefined();
    expect(await isPortFree(port)).toBe(true);

    await primary.start();
    ledger.pid(...primary.processes());
    expect(primary.port).toBe(port);
    expect(primary.pid).not.toBe(firstPid);
    expect(await noteCount(primary)).toBe(500);

    await primary.stop();
    expect(primary.processes()).toEqual([]);
  });

  test('freeze stops answering without closing the port; thaw resumes', async () => {
    const cluster = await startedCluster('frozen');
    await cluster.freeze();
    const states = cluster.processes().map(processState);
    expect(states.length).toBeGreaterThan(1);
    expect(new Set(states)).toEqual(new Set(['T']));
    await expect(cluster.query('SELECT 1', [], 'postgres', 1_000)).rejects.toThrow();
    await cluster.thaw();
    const [row] = await cluster.query<{ one: number }>('SELECT 1 AS one');
    expect(row?.one).toBe(1);
  });
});

describe('VersityGateway', () => {
  async function readBody(client: S3Client, bucket: string, key: string): Promise<string> {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString()) ?? '';
  }

  test('serves a bucket; fails while killed or frozen; recovers with data intact', async () => {
    const gateway = ledger.component(new VersityGateway({ dir: await ledger.runDir('s3-') }));
    await gateway.start();
    ledger.pid(gateway.pid);
    expect(gateway.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = gateway.createClient({
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_000, throwOnRequestTimeout: true },
    });
    try {
      await client.send(new HeadBucketCommand({ Bucket: gateway.bucket }));
      const key = 'data/attachments/hello.txt';
      await client.send(new PutObjectCommand({ Bucket: gateway.bucket, Key: key, Body: 'hello drill' }));
      expect(await readBody(client, gateway.bucket, key)).toBe('hello drill');

      await gateway.kill();
      expect(gateway.isRunning()).toBe(false);
      await expect(readBody(client, gateway.bucket, key)).rejects.toThrow();

      await gateway.start();
      ledger.pid(gateway.pid);
      expect(await readBody(client, gateway.bucket, key)).toBe('hello drill');

      await gateway.freeze();
      await expect(readBody(client, gateway.bucket, key)).rejects.toThrow();
      await gateway.thaw();
      expect(await readBody(client, gateway.bucket, key)).toBe('hello drill');

      await gateway.stop();
      expect(gateway.isRunning()).toBe(false);
    } finally {
      client.destroy();
    }
  });
});
