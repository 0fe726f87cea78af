import { randomBytes } from 'node:crypto';
import { parseDuration } from '../config/duration.js';
import type { Drill } from '../drill/drill-file.js';
import { loadFaultPlan } from '../faults/plan.js';
import { type FaultEventSink, FaultScheduler } from '../faults/scheduler.js';
import { toxiproxyForStack } from '../faults/toxiproxy-for-proxy.js';
import type { FaultWindow } from '../faults/types.js';
import { callsLengthMs } from '../load/calls/calls-schema.js';
import type { ExecutorOptions } from '../load/executor-schema.js';
import { scenarioLengthMs } from '../load/executors/create-executor.js';
import { loadScenarioFile } from '../load/scenario.js';
import { loadEnvironmentFile } from '../stack/environment-file.js';
import { createRunDir } from '../stack/native/run-dir.js';
import type { RunningStack } from '../stack/provider.js';
import { providerFor } from '../stack/providers.js';
import { resolveAdminPassword } from '../stack/state.js';
import { readBackThrough } from '../verdict/audit-posts.js';
import { auditFailures, auditRun } from '../verdict/audits.js';
import { resolveFaultCriteria } from '../verdict/fault-criteria.js';
import { PerSecondObserver } from '../verdict/fault-observations.js';
import { faultFailures, judgeFaults } from '../verdict/faults.js';
import { SteadyStateObserver, steadyStateFailures } from '../verdict/steady-state.js';
import { driveScenarioLoad } from './run-scenario.js';
import type { RunResult } from './session.js';

// A drill: stack up → seed → load with the fault timeline → fault verdicts and audits → summary
// → stack down, the last step whatever happened before it (error, SIGINT).

export interface DrillOptions {
  drill: Drill;
  /** Run the drill's short form (CI). */
  short?: boolean;
  outDir: string;
  stateDir: string;
  argv: readonly string[];
  signal?: AbortSignal;
  log: (line: string) => void;
  quiet?: boolean;
}

export async function runDrill(options: DrillOptions): Promise<RunResult> {
  const { drill, log } = options;
  const short = options.short ? drill.short : undefined;
  const env = await loadEnvironmentFile(drill.environmentPath);
  const scenario = await loadScenarioFile(drill.scenarioPath);
  const durationMs = parseDuration(
    short?.duration ??
      drill.duration ??
      Math.max(longestScenario(scenario.scenarios), scenario.calls ? callsLengthMs(scenario.calls) : 0),
  );
  const plan = await loadFaultPlan(drill.faultsPath, env, {
    runDurationMs: durationMs,
    ...(short?.faultScale !== undefined && { durationScale: short.faultScale }),
  });
  const { password } = await resolveAdminPassword(env.admin.passwordEnv, options.stateDir, () =>
    randomBytes(18).toString('base64url'),
  );
  const users = short?.users ?? drill.users;

  log(
    `drill ${drill.name}${options.short ? ' (short form)' : ''}: ${plan.faults.length} fault(s) from ${drill.faults}, load ${scenario.name} for ${Math.round(durationMs / 1000)} s`,
  );
  const provider = await providerFor(env.provider);
  // The stack's component logs live in the drill's own run directory.
  const runDir = await createRunDir('stack-', options.outDir);
  log(`stack run directory ${runDir}`);
  let stack: RunningStack | undefined;
  let scheduler: FaultScheduler | undefined;
  try {
    stack = await provider.up(env, {
      runDir,
      adminPassword: password,
      ...(options.signal && { signal: options.signal }),
      progress: (e) => e.phase === 'ready' && log(`  ✓ ${e.component}${e.detail ? ` ${e.detail}` : ''}`),
    });
    const running = stack;
    let eventSink: FaultEventSink | undefined;
    const faultScheduler = new FaultScheduler({
      plan,
      stack: running,
      toxiproxy: toxiproxyForStack(running.document, env),
      events: { writeEvent: (event) => eventSink?.writeEvent(event) },
      ...(options.signal && { signal: options.signal }),
      log,
    });
    scheduler = faultScheduler;
    const observer = new PerSecondObserver();
    const steady = new SteadyStateObserver();
    const { session, outcome, summaryInput } = await driveScenarioLoad(
      {
        scenario,
        scenarioFile: drill.scenarioPath,
        stack: running.document,
        adminPassword: password,
        stateDir: options.stateDir,
        outDir: options.outDir,
        overrides: { ...(users !== undefined && { users }), durationMs },
        argv: options.argv,
        log,
        ...(options.signal && { signal: options.signal }),
        ...(options.quiet && { quiet: true }),
      },
      {
        listeners: [observer.listener, steady.listener],
        onLoadStart: (perfNow, started) => {
          eventSink = started.timeseries;
          faultScheduler.start(perfNow);
        },
      },
    );
    try {
      const partial = session.signal.aborted;
      const windows: FaultWindow[] = await faultScheduler.stopAll();
      const faults = judgeFaults(windows, observer.observations(), resolveFaultCriteria(drill.criteria));
      const audits = await auditRun({
        acknowledgedPosts: drill.audits.posts ? outcome.acknowledgedPosts : [],
        delivery: outcome.delivery,
        missed: drill.audits.deliveries ? outcome.missed : [],
        readBack: { ...readBackThrough(running.document, password), log },
      });
      const steadyState = steady.judge(drill.steadyState, faults);
      return await session.finish(
        {
          ...summaryInput,
          faults,
          audits,
          steadyState,
          otherFailures: [
            ...faultFailures(faults),
            ...steadyStateFailures(steadyState),
            ...auditFailures(audits),
          ],
          drill: { name: drill.name, file: drill.file, short: options.short === true },
        },
        { partial },
      );
    } finally {
      await session.close();
    }
  } finally {
    await scheduler
      ?.stopAll()
      .catch((err: unknown) => log(`removing faults failed: ${(err as Error).message}`));
    if (stack) {
      log('taking the drill stack down…');
      await stack.down().catch((err: unknown) => log(`stack down failed: ${(err as Error).message}`));
    }
  }
}

/** The longest scenario's length, each as its executor measures it. */
function longestScenario(scenarios: Record<string, ExecutorOptions>): number {
  return Math.max(0, ...Object.values(scenarios).map(scenarioLengthMs));
}
