import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../common/exit-codes.js';
import { writeReports } from '../../report/write-reports.js';
import { resolveRunTarget } from '../../run/run-target.js';
import { judgeDeployment } from '../../sovereignty/judge.js';
import { type AdminCredentials, adminToken, readDeployment } from '../../sovereignty/readings.js';
import { loadEnvironmentFile } from '../../stack/environment-file.js';
import { DEFAULT_STATE_DIR } from '../../stack/state.js';
import type { SovereigntyReport } from '../../summary/sovereignty-schema.js';
import type { Summary } from '../../summary/summary-schema.js';
import { outDirFor, runInFrame } from '../command-frame.js';
import { defaultEnvironmentFile } from '../defaults.js';
import { colour, progressLine } from '../output.js';

// `mmdrill audit sovereignty`: reads a deployment's configuration as a system admin (read-only:
// GET requests and, without a token, one login) and judges every sovereignty control. The
// reports are the run reports (summary.json with a `sovereignty` section, report.html,
// summary.md, junit.xml with a test case per control). Exit 0 all pass, 99 one fails, 2 usage.

interface AuditOptions {
  env?: string;
  out?: string;
  json?: boolean;
  stateDir: string;
}

interface AuditTarget {
  name: string;
  provider: Summary['environment']['provider'];
  url: string;
  credentials: AdminCredentials;
  takeDown?: () => Promise<void>;
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').summary('audit a deployment (sovereignty controls)');
  audit
    .command('sovereignty')
    .summary("judge the deployment's configuration against the sovereignty controls")
    .description(
      "Reads the deployment's configuration as a system admin (GET /api/v4/config, the client config and\n" +
        'licence, the Calls plugin config) and judges each control of docs/sovereignty.md: push contents and\n' +
        'push proxy, telemetry, marketplace, link previews, Calls ICE servers, file store, identity, compliance,\n' +
        'audit logging, AI endpoint, TLS, e-mail. Read-only. Secrets are never printed.\n\n' +
        'Target: the stack `mmdrill stack up` left running, or --env FILE (native and containers environments\n' +
        "are brought up for the audit and taken down after it; for `existing` the admin's personal access\n" +
        'token is read from the variable named by admin.tokenEnv, default MMDRILL_ADMIN_TOKEN, else the\n' +
        'password from admin.passwordEnv).\n\n' +
        'Exit codes: 0 every control passes (or does not apply), 99 a control fails, 2 usage or configuration\n' +
        'error, 130 interrupted.\n\n' +
        'Examples:\n  mmdrill audit sovereignty --env environments/native-sovereign.yaml\n' +
        '  MMDRILL_ADMIN_TOKEN=… mmdrill audit sovereignty --env environments/existing.example.yaml --json',
    )
    .option('--env <file>', 'environment file (default: the running stack from the state directory)')
    .option('--out <dir>', 'output directory for the reports (default: reports/<run id>)')
    .option('--json', "print the audit's sovereignty section as JSON on stdout")
    .option('--state-dir <dir>', 'state directory (stack state, secrets)', DEFAULT_STATE_DIR)
    .action((options: AuditOptions) => auditSovereignty(options));
}

async function resolveTarget(options: AuditOptions, signal: AbortSignal): Promise<AuditTarget> {
  if (options.env !== undefined) {
    const env = await loadEnvironmentFile(options.env, { checkPorts: false });
    if (env.provider === 'existing') {
      const token = process.env[env.admin.tokenEnv];
      const password = process.env[env.admin.passwordEnv];
      if (!token && !password)
        throw new UsageError(
          `${options.env}: set ${env.admin.tokenEnv} to a system admin's personal access token (or ${env.admin.passwordEnv} to the password of ${env.admin.username})`,
        );
      return {
        name: env.name,
        provider: 'existing',
        url: env.existing.url.replace(/\/+$/, ''),
        credentials: token ? { token } : { username: env.admin.username, password: password! },
      };
    }
  }
  const target = await resolveRunTarget({
    ...(options.env !== undefined && { env: options.env }),
    defaultEnvFile: defaultEnvironmentFile(),
    stateDir: options.stateDir,
    signal,
    log: progressLine,
  });
  return {
    name: target.document.name,
    provider: target.document.provider,
    url: target.document.url,
    credentials: { username: target.document.admin.username, password: target.adminPassword },
    ...(target.started && { takeDown: () => target.started!.down() }),
  };
}

function summaryOf(target: AuditTarget, report: SovereigntyReport, startedAt: Date): Summary {
  const failed = report.controls.filter((c) => c.status === 'fail');
  const endedAt = new Date();
  return {
    version: 1,
    verdict: failed.length > 0 ? 'fail' : 'pass',
    reason:
      failed.length > 0
        ? `${failed.length} sovereignty control(s) failed: ${failed.map((c) => c.id).join(', ')}`
        : `all ${report.counts.pass} applicable sovereignty controls passed`,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationS: (endedAt.getTime() - startedAt.getTime()) / 1000,
    partial: false,
    command: process.argv.slice(1),
    scenario: { name: 'audit sovereignty' },
    environment: { name: target.name, provider: target.provider, url: target.url },
    thresholds: [],
    metrics: {},
    delivery: { posts: 0, latency: { p50: null, p95: null, p99: null }, undelivered: 0 },
    harness: { eventLoopDelayP99Ms: 0, cpu: 0, saturated: false },
    sovereignty: report,
  };
}

function printFindings(report: SovereigntyReport): void {
  for (const c of report.controls) {
    if (c.status === 'fail') {
      progressLine(colour.bad(`FAIL ${c.id}: ${c.title}: found ${c.found}, expected ${c.expected}`));
      progressLine(`     fix: ${c.fix}`);
    } else if (c.status === 'unknown') {
      progressLine(`unknown ${c.id}: ${c.note ?? c.found}`);
    }
  }
  const { pass, fail, notApplicable, unknown } = report.counts;
  progressLine(`${pass} passed, ${fail} failed, ${notApplicable} not applicable, ${unknown} unknown`);
}

async function auditSovereignty(options: AuditOptions): Promise<void> {
  await runInFrame({ onInterrupt: 'stopping the audit…' }, async ({ signal }) => {
    const startedAt = new Date();
    const target = await resolveTarget(options, signal);
    let report: SovereigntyReport;
    try {
      progressLine(`mmdrill audit sovereignty: ${target.url}`);
      const token = await adminToken(target.url, target.credentials);
      report = judgeDeployment(target.url, await readDeployment(target.url, token));
    } finally {
      if (target.takeDown) {
        progressLine('taking down the stack started for this audit…');
        await target.takeDown();
      }
    }
    const summary = summaryOf(target, report, startedAt);
    const outDir = outDirFor(options.out, `audit-${target.name}`);
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await writeReports(outDir);
    printFindings(report);
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const line = `verdict: ${summary.verdict === 'pass' ? 'PASS' : 'FAIL'} (${summary.reason})`;
    progressLine(summary.verdict === 'pass' ? colour.ok(line) : colour.bad(line));
    progressLine(`summary: ${join(outDir, 'summary.json')}`);
    return summary.verdict === 'pass' ? ExitCode.ok : ExitCode.thresholdsFailed;
  });
}
