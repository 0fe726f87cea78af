import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackDocument } from '../../../src/stack/stack-document.js';
import { egressFailures, egressReport } from '../../../src/verdict/egress.js';

// The egress verdict from the attempts file a stack's DNS sink writes: only attempts since the
// run's start count, each fails the run unless failOnFinding is false, a stack without a watch
// has no section. (The kernel half is exercised by test/integration/egress-watch.test.ts.)

async function stackWith(lines: object[], failOnFinding: boolean): Promise<StackDocument> {
  const dir = await mkdtemp(join(tmpdir(), 'mmdrill-egress-unit-'));
  const attemptsFile = join(dir, 'attempts.ndjson');
  await writeFile(attemptsFile, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return {
    name: 'n',
    provider: 'native',
    egress: {
      table: 'mmdrill_egress_unit_test_absent',
      attemptsFile,
      dnsServer: '127.0.0.1:1',
      components: { '200001': 'app-1' },
      failOnFinding,
    },
  } as unknown as StackDocument;
}

const since = new Date('2026-01-01T10:00:00Z');
const before = { at: '2026-01-01T09:00:00.000Z', kind: 'dns-query', component: 'app-1', name: 'old.example' };
const during = {
  at: '2026-01-01T10:00:05.000Z',
  kind: 'dns-query',
  component: 'app-1',
  name: 'example.com',
  protocol: 'udp',
};

describe('egress verdict', () => {
  it('keeps the attempts since the run started and fails on them', async () => {
    const report = (await egressReport(await stackWith([before, during], true), since))!;
    expect(report.findings).toEqual([during]);
    expect(egressFailures(report)).toEqual([
      '1 egress attempt(s) to outside the stack: app-1 dns-query example.com at 2026-01-01T10:00:05.000Z',
    ]);
  });

  it('reports without failing when failOnFinding is false', async () => {
    const report = (await egressReport(await stackWith([during], false), since))!;
    expect(report.findings).toHaveLength(1);
    expect(egressFailures(report)).toEqual([]);
  });

  it('has no section for a stack without a watch', async () => {
    expect(await egressReport({ provider: 'native' } as StackDocument, since)).toBeUndefined();
  });
});
