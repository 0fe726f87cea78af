import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPidAlive } from '../../src/stack/native/procfs.js';
import type { StackDocument } from '../../src/stack/stack-document.js';
import { descendants, runCli, startCli } from '../support/cli.js';

// `mmdrill stack up | status | down` as a user runs them: separate processes that find the stack
// through the state file, and `up` interrupted half-way leaving nothing behind.

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-cli-'));
});

afterAll(async () => {
  await runCli(['stack', 'down', '--state-dir', join(work, 'state')]);
  await rm(work, { recursive: true, force: true });
});

describe('stack up, status, down', () => {
  it('leaves a running stack after up, reports it healthy, and down stops every process', async () => {
    const stateDir = join(work, 'state');
    const up = await runCli(['stack', 'up', '--json', '--state-dir', stateDir], {
      MMDRILL_ADMIN_PASSWORD: 'Cli-test-Passw0rd',
    });
    expect(up.code, up.stderr).toBe(0);
    const doc = JSON.parse(up.stdout) as StackDocument;
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.admin).toEqual({ username: 'sysadmin', passwordEnv: 'MMDRILL_ADMIN_PASSWORD' });
    expect(up.stdout + up.stderr).not.toContain('Cli-test-Passw0rd');
    const pids = doc.components.map((c) => c.pid!);
    expect(pids.every(isPidAlive)).toBe(true);

    const status = await runCli(['stack', 'status', '--json', '--state-dir', stateDir]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ healthy: true, entry: 'answers' });

    const again = await runCli(['stack', 'up', '--state-dir', stateDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a stack is already up');

    const down = await runCli(['stack', 'down', '--state-dir', stateDir]);
    expect(down.code, down.stderr).toBe(0);
    expect(pids.filter(isPidAlive)).toEqual([]);
    const after = await runCli(['stack', 'status', '--state-dir', stateDir]);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('no stack is up');
  });

  it('stops everything it had started when SIGINT arrives during up', async () => {
    const stateDir = join(work, 'interrupted');
    const { child, result } = startCli(['stack', 'up', '--state-dir', stateDir]);
    const seen = new Set<number>();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Interrupt once the app nodes are starting: databases, store and Toxiproxy are up by then.
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('toxiproxy') && Date.now() < deadline) {
      for (const pid of descendants(child.pid!)) seen.add(pid);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const pid of descendants(child.pid!)) seen.add(pid);
    child.kill('SIGINT');
    const polling = setInterval(() => {
      for (const pid of descendants(child.pid!)) seen.add(pid);
    }, 20);
    const exit = await result;
    clearInterval(polling);
    expect(exit.code, exit.stderr).toBe(130);
    expect(exit.stderr).toContain('everything it had started was stopped');
    expect(seen.size).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 200));
    expect([...seen].filter(isPidAlive)).toEqual([]);
  });
});

describe('bad environment files', () => {
  async function upWith(yaml: string): Promise<{ code: number | null; stderr: string; file: string }> {
    const file = join(work, `env-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, yaml);
    const r = await runCli(['stack', 'up', '--env', file, '--state-dir', join(work, 'bad-state')]);
    return { code: r.code, stderr: r.stderr, file };
  }

  function expectClearError(
    r: { code: number | null; stderr: string; file: string },
    line: number,
    field: string,
    message: RegExp,
  ): void {
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}:${line}:`);
    expect(r.stderr).toContain(field);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }

  it('unknown key', async () => {
    expectClearError(
      await upWith('name: x\nprovider: native\ndatabase:\n  replcia: true\n'),
      4,
      'database',
      /unknown key "replcia".*did you mean "replica"/,
    );
  });

  it('wrong type', async () => {
    expectClearError(
      await upWith('name: x\nprovider: native\nappNodes: two\n'),
      3,
      'appNodes',
      /expected integer/,
    );
  });

  it('zero app nodes', async () => {
    expectClearError(await upWith('name: x\nprovider: native\nappNodes: 0\n'), 3, 'appNodes', /must be >= 1/);
  });

  it('a port in use', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      expectClearError(
        await upWith(`name: x\nprovider: native\nports:\n  lb: ${port}\n`),
        4,
        'ports.lb',
        /in use/,
      );
    } finally {
      server.close();
    }
  });

  it('a missing file', async () => {
    const r = await runCli([
      'stack',
      'up',
      '--env',
      join(work, 'nope.yaml'),
      '--state-dir',
      join(work, 'bad-state'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
  });
});
