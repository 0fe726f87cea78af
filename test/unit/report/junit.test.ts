import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { packageRoot } from '../../../src/common/package-root.js';
import { escapeXml, renderJunit } from '../../../src/report/junit.js';
import { loadRun } from '../../../src/report/run-data.js';
import { craftFaultedRun, REAL_DRILL, REAL_RUN, tempDir } from '../../support/report-runs.js';

// junit.xml is validated by libxml2 (xmllint, compiled to WebAssembly) against the JUnit schema in
// test/fixtures/junit/junit.xsd, written from the Jenkins/Surefire format (see its header).

const XSD = join(packageRoot(), 'test', 'fixtures', 'junit', 'junit.xsd');

async function validate(xml: string) {
  const schema = await readFile(XSD, 'utf8');
  return validateXML({
    xml: { fileName: 'junit.xml', contents: xml },
    schema: { fileName: 'junit.xsd', contents: schema },
  });
}

function attr(xml: string, element: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element}\\b[^>]*\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('report-junit');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('junit.xml', () => {
  it('is valid for a passing run: one test case per threshold, target check and harness check', async () => {
    const { summary } = await loadRun(REAL_RUN);
    const xml = renderJunit(summary);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const notEvaluated = summary.targets!.checks.filter((c) => c.status === 'not-evaluated').length;
    const cases = (xml.match(/<testcase /g) ?? []).length;
    expect(cases).toBe(summary.thresholds.length + notEvaluated + 2);
    expect(attr(xml, 'testsuites', 'tests')).toEqual([String(cases)]);
    expect(attr(xml, 'testsuites', 'failures')).toEqual(['0']);
    expect(attr(xml, 'testsuites', 'skipped')).toEqual([String(notEvaluated)]);
  });

  it('is valid for a real drill: the fault verdict and both audits are test cases', async () => {
    const { summary } = await loadRun(REAL_DRILL);
    const xml = renderJunit(summary);
    expect((await validate(xml)).errors).toEqual([]);
    expect(attr(xml, 'testcase', 'name')).toEqual(
      expect.arrayContaining([
        'kill-app-2 (kill → app-2)',
        'acknowledged posts are not lost',
        'online members receive every post',
      ]),
    );
    expect(attr(xml, 'testsuites', 'failures')).toEqual(['0']);
  });

  it('is valid for a failed drill: a failure per failed fault and audit, with messages', async () => {
    const { summary } = await loadRun(await craftFaultedRun(join(dir, 'faulted')));
    const xml = renderJunit(summary);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(attr(xml, 'testsuite', 'name')).toEqual([
      'mmdrill.thresholds',
      'mmdrill.targets.mattermost-reference',
      'mmdrill.faults',
      'mmdrill.audits',
      'mmdrill.harness',
    ]);
    expect(attr(xml, 'testsuites', 'failures')).toEqual(['3']);
    expect(attr(xml, 'failure', 'message')).toEqual([
      'not recovered before the run ended; 37 failed requests against 10 allowed',
      '1 of 5 acknowledged posts lost, 0 unverified',
      '2 of 500 deliveries missed',
    ]);
    // Per-suite counts add up to the totals.
    const sum = (name: string) => attr(xml, 'testsuite', name).reduce((n, v) => n + Number(v), 0);
    expect(String(sum('tests'))).toBe(attr(xml, 'testsuites', 'tests')[0]);
    expect(String(sum('failures'))).toBe('3');
  });

  it('marks a partial run and survives hostile data (markup, quotes, control characters)', async () => {
    const path = await craftFaultedRun(join(dir, 'partial'), {
      partial: true,
      faults: [
        { name: 'x"\'<&>\u0001\ud800', kind: 'latency', target: ']]>', startS: 5, endS: 9, ok: false },
      ],
    });
    const xml = renderJunit((await loadRun(path)).summary);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(xml).toContain('(partial run)');
    expect(xml).toContain('<skipped message="the run was interrupted: partial results"/>');
    expect(xml).toContain('name="x&quot;&apos;&lt;&amp;&gt;\ufffd\ufffd (latency → ]]&gt;)"');
    expect(escapeXml('a\u0000b\ud83d\ude00')).toBe('a\ufffdb\ud83d\ude00');
  });

  it('the schema is enforced: a test case without a name is rejected', async () => {
    const result = await validate(
      '<?xml version="1.0"?><testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>',
    );
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.message).toMatch(/name/);
  });
});
