import { hostname } from 'node:os';
import type { Summary } from '../summary/summary-schema.js';
import { describeFinding } from '../verdict/egress.js';
import { commandLine, integer, ms, percent } from './format.js';
import { thresholdValue } from './metric-tables.js';
import { sovereigntyCases } from './sovereignty-tables.js';

// junit.xml: every check of the run as a test case (one per threshold, target check, fault
// verdict and audit, plus the harness's own health), in the Jenkins/Surefire JUnit format that
// GitHub, GitLab, Jenkins and Azure DevOps read. A failed check is a <failure> with a one-line
// message; a check the run could not judge is <skipped>.

interface TestCase {
  name: string;
  failure?: { message: string; type: string; details?: string };
  skipped?: string;
  out?: string;
}

interface Suite {
  name: string;
  cases: TestCase[];
}

/** Characters XML 1.0 forbids anywhere: most C0 controls, lone surrogates, U+FFFE and U+FFFF. */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff;
}

export function escapeXml(text: string): string {
  let safe = '';
  // for…of walks code points: a paired surrogate arrives whole, a lone one alone.
  for (const ch of text) safe += isXmlChar(ch.codePointAt(0)!) ? ch : '\ufffd';
  return safe.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function thresholdSuite(summary: Summary): Suite {
  return {
    name: 'thresholds',
    cases: summary.thresholds.map((t) => {
      const name = `${t.metric} ${t.expression}${t.source ? ` [${t.source}]` : ''}`;
      const value = thresholdValue(t.metric, t.expression, t.value);
      if (t.value === null) return { name, out: 'no samples: not judged (counts as passed, as in k6)' };
      return t.ok
        ? { name, out: `value ${value}` }
        : {
            name,
            failure: { type: 'threshold', message: `${t.metric} ${t.expression} failed: value ${value}` },
          };
    }),
  };
}

/** Target checks that no threshold stands for (those are in the thresholds suite already). */
function targetSuite(summary: Summary): Suite | undefined {
  if (summary.targets === undefined) return undefined;
  const cases = summary.targets.checks
    .filter((c) => c.expression === undefined || c.status === 'not-evaluated')
    .map((c): TestCase => {
      const name = `${c.check} (${c.limit})`;
      if (c.status === 'not-evaluated') return { name, skipped: c.note ?? 'not evaluated in this run' };
      return c.status === 'pass'
        ? { name }
        : {
            name,
            failure: {
              type: 'target',
              message: `${c.check}: limit ${c.limit}${c.note ? `; ${c.note}` : ''}`,
            },
          };
    });
  return cases.length > 0 ? { name: `targets.${summary.targets.name}`, cases } : undefined;
}

function faultSuite(summary: Summary): Suite | undefined {
  if (summary.faults === undefined) return undefined;
  return {
    name: 'faults',
    cases: summary.faults.map((f) => {
      const name = `${f.name} (${f.kind} → ${f.target})`;
      const details = [
        `time to first error: ${f.timeToFirstErrorMs === null ? 'none' : ms(f.timeToFirstErrorMs)}`,
        `recovery: ${f.recoveryMs === null ? 'not recovered' : ms(f.recoveryMs)} (limit ${ms(f.maxRecoveryMs)})`,
        `errors in window: ${integer(f.errorsInWindow)} of ${integer(f.requestsInWindow)}`,
        `error budget: ${integer(f.errorBudget.failedRequests)} failed of ${integer(f.errorBudget.allowed)} allowed`,
      ].join('\n');
      return f.ok ? { name, out: details } : { name, failure: { type: 'fault', message: f.reason, details } };
    }),
  };
}

function steadyStateSuite(summary: Summary): Suite | undefined {
  if (summary.steadyState === undefined) return undefined;
  return {
    name: 'steady-state',
    cases: summary.steadyState.map((p) =>
      p.ok
        ? { name: p.phase, out: p.reason }
        : { name: p.phase, failure: { type: 'steady-state', message: p.reason } },
    ),
  };
}

function egressSuite(summary: Summary): Suite | undefined {
  const egress = summary.egress;
  if (egress === undefined) return undefined;
  if (egress.findings.length === 0)
    return { name: 'egress', cases: [{ name: 'no egress attempt', out: 'watched' }] };
  return {
    name: 'egress',
    cases: egress.findings.map((f, i) => {
      const name = `${i + 1}. ${f.component} → ${f.name ?? f.address ?? 'outside'}`;
      const message = describeFinding(f);
      return egress.failOnFinding ? { name, failure: { type: 'egress', message } } : { name, out: message };
    }),
  };
}

function driftSuite(summary: Summary): Suite | undefined {
  if (summary.drift === undefined) return undefined;
  return {
    name: 'drift',
    cases: summary.drift.thresholds.map((t) => {
      const name = `${t.metric} ${t.expression}`;
      return t.ok
        ? { name, out: `value: ${t.value ?? 'not measured'}` }
        : { name, failure: { type: 'drift', message: `${name}: got ${t.value}` } };
    }),
  };
}

function auditSuite(summary: Summary): Suite | undefined {
  const a = summary.audits;
  if (a === undefined) return undefined;
  const posts: TestCase = { name: 'acknowledged posts are not lost' };
  if (a.lostPosts > 0 || a.unverifiedPosts > 0)
    posts.failure = {
      type: 'audit',
      message: `${integer(a.lostPosts)} of ${integer(a.acknowledgedPosts)} acknowledged posts lost, ${integer(a.unverifiedPosts)} unverified`,
      details: a.lostPostIds.length > 0 ? `first lost posts: ${a.lostPostIds.join(', ')}` : a.reason,
    };
  else posts.out = `${integer(a.acknowledgedPosts)} acknowledged posts read back`;
  const deliveries: TestCase = { name: 'online members receive every post' };
  if (a.missedDeliveries > 0)
    deliveries.failure = {
      type: 'audit',
      message: `${integer(a.missedDeliveries)} of ${integer(a.expectedDeliveries)} deliveries missed`,
      details: a.missed.map((m) => `post ${m.postId} in ${m.channelId} → VU ${m.memberVu}`).join('\n'),
    };
  else deliveries.out = `${integer(a.expectedDeliveries)} deliveries made`;
  return { name: 'audits', cases: [posts, deliveries] };
}

function harnessSuite(summary: Summary): Suite {
  const h = summary.harness;
  const run: TestCase = { name: 'harness was not saturated' };
  if (h.saturated)
    run.failure = {
      type: 'harness',
      message: `the harness was the bottleneck (${h.reason ?? 'saturated'}): the verdict says nothing about the server`,
    };
  else run.out = `CPU ${percent(h.cpu)} of a core, event-loop delay p99 ${ms(h.eventLoopDelayP99Ms)}`;
  const complete: TestCase = { name: 'run completed' };
  if (summary.partial) complete.skipped = 'the run was interrupted: partial results';
  return { name: 'harness', cases: [run, complete] };
}

function renderCase(suite: string, c: TestCase): string {
  const open = `    <testcase classname="${escapeXml(`mmdrill.${suite}`)}" name="${escapeXml(c.name)}" time="0"`;
  const inner: string[] = [];
  if (c.failure)
    inner.push(
      `      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${escapeXml(
        c.failure.details ?? c.failure.message,
      )}</failure>`,
    );
  if (c.skipped !== undefined) inner.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
  if (c.out) inner.push(`      <system-out>${escapeXml(c.out)}</system-out>`);
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
}

export function renderJunit(summary: Summary): string {
  const suites = [
    thresholdSuite(summary),
    targetSuite(summary),
    steadyStateSuite(summary),
    egressSuite(summary),
    faultSuite(summary),
    driftSuite(summary),
    auditSuite(summary),
    { name: 'sovereignty', cases: sovereigntyCases(summary) },
    harnessSuite(summary),
  ].filter((s): s is Suite => s !== undefined && s.cases.length > 0);
  const count = (cases: readonly TestCase[]) => ({
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    skipped: cases.filter((c) => c.skipped !== undefined).length,
  });
  const all = count(suites.flatMap((s) => s.cases));
  const time = summary.durationS.toFixed(3);
  const timestamp = summary.startedAt.replace(/Z$/, '').replace(/\.\d+$/, '');
  const title = `mmdrill ${summary.scenario.name} on ${summary.environment.name}${summary.partial ? ' (partial run)' : ''}`;
  const properties = [
    ['verdict', summary.verdict],
    ['reason', summary.reason],
    ['partial', String(summary.partial)],
    ['scenario', summary.scenario.name],
    ['environment', `${summary.environment.name} (${summary.environment.provider})`],
    ['command', commandLine(summary.command)],
  ]
    .map(([name, value]) => `      <property name="${escapeXml(name!)}" value="${escapeXml(value!)}"/>`)
    .join('\n');
  const body = suites.map((s) => {
    const c = count(s.cases);
    return [
      `  <testsuite name="${escapeXml(`mmdrill.${s.name}`)}" tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}" time="${time}" timestamp="${escapeXml(timestamp)}" hostname="${escapeXml(hostname())}">`,
      `    <properties>\n${properties}\n    </properties>`,
      ...s.cases.map((tc) => renderCase(s.name, tc)),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(title)}" tests="${all.tests}" failures="${all.failures}" errors="0" skipped="${all.skipped}" time="${time}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
