import { readFile } from 'node:fs/promises';
import { blockedAttempts } from '../stack/native/egress-guard.js';
import type { EgressAttempt } from '../stack/native/egress-sink.js';
import type { StackDocument } from '../stack/stack-document.js';
import type { EgressFinding, EgressReport } from '../summary/egress-schema.js';

// The egress verdict of a run (issue 16): the attempts the stack's egress watch recorded between
// the run's start and now become summary.json's `egress` findings, and each one fails the run
// unless the environment says `egressWatch.failOnFinding: false`.

/** Blocked connections carry second resolution: one second of slack at the start. */
const SLACK_MS = 1_000;

/** undefined for a stack without an egress watch (summary.json then has no `egress`). */
export async function egressReport(stack: StackDocument, since: Date): Promise<EgressReport | undefined> {
  const watch = stack.egress;
  if (!watch) return undefined;
  const components = new Map(Object.entries(watch.components).map(([uid, name]) => [Number(uid), name]));
  const attempts: EgressAttempt[] = [
    ...(await readAttempts(watch.attemptsFile)),
    ...blockedAttempts(watch.table, components),
  ];
  const from = since.getTime() - SLACK_MS;
  const findings = attempts
    .filter((a) => Date.parse(a.at) >= from)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(toFinding);
  return { watched: true, failOnFinding: watch.failOnFinding, findings };
}

async function readAttempts(file: string): Promise<EgressAttempt[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EgressAttempt);
}

function toFinding(a: EgressAttempt): EgressFinding {
  const out: EgressFinding = { at: a.at, kind: a.kind, component: a.component };
  if (a.name) out.name = a.name;
  if (a.address) out.address = a.address;
  if (a.port !== undefined) out.port = a.port;
  if (a.protocol) out.protocol = a.protocol;
  return out;
}

/** One sentence per failing run: how many attempts, and the first few destinations. */
export function egressFailures(report: EgressReport | undefined): string[] {
  if (!report?.failOnFinding || report.findings.length === 0) return [];
  const shown = report.findings.slice(0, 3).map(describeFinding).join('; ');
  const more = report.findings.length > 3 ? `; and ${report.findings.length - 3} more` : '';
  return [`${report.findings.length} egress attempt(s) to outside the stack: ${shown}${more}`];
}

export function describeFinding(f: EgressFinding): string {
  const where = [f.name, f.address && `${f.address}${f.port !== undefined ? `:${f.port}` : ''}`]
    .filter(Boolean)
    .join(' → ');
  return `${f.component} ${f.kind} ${where} at ${f.at}`;
}
