import { SUMMARY_BEGIN_MARK, SUMMARY_END_MARK, SUMMARY_FORMAT } from './summary-document.js';

// The generated k6 script, part 4: the exported functions k6 runs (one per kind of iteration)
// and handleSummary, which writes the summary `mmdrill report --from-k6` reads back.

const ENTRY_BODY = `
// ---- what the scenarios' iterations do -------------------------------------------------------
function pickAction(): string {
  const x = Math.random() * MMDRILL.mix.total;
  for (const entry of MMDRILL.mix.actions) if (x < entry.cumulative) return entry.name;
  return MMDRILL.mix.actions[MMDRILL.mix.actions.length - 1]?.name ?? 'switch_channel';
}

/** Closed model: one iteration is a user's session, with its WebSocket, until the scenario ends. */
export async function userSession(): Promise<void> {
  const endAt = exec.scenario.startTime + (MMDRILL.scenarioLengthsMs[exec.scenario.name] ?? 0);
  if (Date.now() >= endAt) return pause(500);
  const user = await login();
  openSocket(user);
  const status = MMDRILL.statusIntervalMs > 0
    ? setInterval(() => void getStatuses(user), MMDRILL.statusIntervalMs)
    : null;
  try {
    // Users logged in at different moments: the first action waits a random part of an idle time.
    await pause(Math.min(Math.random() * idleMs(user), endAt - Date.now()));
    while (Date.now() < endAt) {
      await runAction(user, pickAction());
      await pause(Math.min(idleMs(user), endAt - Date.now()));
    }
  } finally {
    if (status !== null) clearInterval(status);
    closeSocket(user);
  }
}

/** Open model: one iteration is one action of the mix, at the scenario's arrival rate. */
export async function userAction(): Promise<void> {
  const user = await login();
  await runAction(user, pickAction());
}

const ANONYMOUS: User = {
  token: '', id: '', username: 'anonymous', teamId: '', channels: [], directory: [], current: '', recent: [],
  seen: [], own: [], viewedAt: {}, threads: [], rate: 1, socket: null,
};

/** A fixed action loop (MM_ACTIONS, set per scenario): one pass per iteration. */
export async function actionLoop(): Promise<void> {
  const names = setting('MM_ACTIONS').split(',');
  const user = names.every((n) => n === 'ping') ? ANONYMOUS : await login();
  for (const name of names) await runAction(user, name);
}

// ---- the summary mmdrill reads back (mmdrill report --from-k6) -------------------------------
interface SummaryMetric {
  type: string;
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  state: { testRunDurationMs: number };
}

export function handleSummary(data: SummaryData): Record<string, string> {
  const endedAt = new Date();
  const document = {
    format: FORMAT,
    version: 1,
    scenario: MMDRILL.scenario,
    environment: { name: MMDRILL.environment, url: BASE_URL },
    thresholds: MMDRILL.thresholds,
    skippedThresholds: MMDRILL.skippedThresholds,
    startedAt: new Date(endedAt.getTime() - data.state.testRunDurationMs).toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: data.state.testRunDurationMs,
    metrics: data.metrics,
  };
  const lines: string[] = [];
  for (const t of MMDRILL.thresholds) {
    const result = data.metrics[t.metric]?.thresholds?.[t.expression];
    const mark = result === undefined ? '?' : result.ok ? 'ok  ' : 'FAIL';
    lines.push(mark + ' ' + t.metric + ' ' + t.expression);
  }
  const out: Record<string, string> = {};
  out[SUMMARY_FILE] = JSON.stringify(document, null, 2);
  out.stdout = lines.join('\\n') + '\\n' + BEGIN_MARK + '\\n' + JSON.stringify(document) + '\\n' + END_MARK + '\\n';
  return out;
}
`;

export const ENTRY_SOURCE = `
const FORMAT = '${SUMMARY_FORMAT}';
const BEGIN_MARK = '${SUMMARY_BEGIN_MARK}';
const END_MARK = '${SUMMARY_END_MARK}';
${ENTRY_BODY}`;
