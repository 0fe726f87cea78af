import type { Summary } from '../summary/summary-schema.js';
import { decimal, integer, ms, NONE } from './format.js';
import { type Cell, cell, counterOf, seriesOf, type Table, trendOf } from './table-model.js';

// The Calls section of the reports, from the calls_* metrics of summary.json: one row per call
// (and all calls) with join times and media quality, and the audio each listener received from
// each speaker. Absent from runs without Calls.

const MOS_FAIR = 3.6;
const MAX_PAIR_ROWS = 60;

/** The call labels (`c0`, `c1`…) that have Calls series, in order. */
function callLabels(summary: Pick<Summary, 'metrics'>): string[] {
  const labels = new Set<string>();
  for (const name of ['calls_join_ice_time', 'calls_mos', 'calls_failed_joins'])
    for (const s of seriesOf(summary, name)) if (s.selector.tags.call) labels.add(s.selector.tags.call);
  return [...labels].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b));
}

export function hasCalls(summary: Pick<Summary, 'metrics'>): boolean {
  return Object.keys(summary.metrics).some((k) => k.startsWith('calls_'));
}

export function callsTable(summary: Summary): Table | undefined {
  if (!hasCalls(summary)) return undefined;
  const row = (label: Cell, filter: string): Cell[] => {
    const trend = (name: string) => trendOf(summary, `${name}${filter}`);
    const count = (name: string) =>
      filter === ''
        ? (counterOf(summary, name)?.count ?? 0)
        : seriesOf(summary, name)
            .filter((s) => `{call:${s.selector.tags.call}}` === filter && s.metric.type === 'counter')
            .reduce((n, s) => n + (s.metric.type === 'counter' ? s.metric.count : 0), 0);
    const join = trend('calls_join_time');
    const ice = trend('calls_join_ice_time');
    const mos = trend('calls_mos');
    const loss = trend('calls_packet_loss');
    const jitter = trend('calls_jitter');
    const rtt = trend('calls_rtt');
    const failed = count('calls_failed_joins');
    const has = (t: typeof join) => t !== undefined && t.count > 0;
    return [
      label,
      cell.num(integer(ice?.count ?? 0)),
      cell.num(failed > 0 ? integer(failed) : '0', failed > 0 ? 'bad' : undefined),
      cell.num(has(ice) ? ms(ice!.p95) : NONE),
      cell.num(has(join) ? `${ms(join!.med)} / ${ms(join!.p95)}` : NONE),
      cell.num(
        has(mos) ? `${decimal(mos!.avg, 2)} (min ${decimal(mos!.min, 2)})` : NONE,
        has(mos) && mos!.avg < MOS_FAIR ? 'warn' : undefined,
      ),
      cell.num(has(loss) ? `${decimal(loss!.p95, 2)} %` : NONE),
      cell.num(has(jitter) ? ms(jitter!.p95) : NONE),
      cell.num(has(rtt) ? ms(rtt!.med) : NONE),
      cell.num(`${integer(count('calls_reconnects'))} / ${integer(count('calls_rejoins'))}`),
    ];
  };
  const labels = callLabels(summary);
  const rows = labels.map((l) => row(cell.code(l), `{call:${l}}`));
  if (labels.length !== 1) rows.push(row(cell.text('all calls', 'muted'), ''));
  return {
    id: 'calls',
    title: 'Calls',
    header: [
      'call',
      'joined',
      'failed',
      'ICE p95',
      'first audio p50 / p95',
      'MOS avg',
      'loss p95',
      'jitter p95',
      'RTT p50',
      'reconnects / rejoins',
    ],
    rows,
    note: 'Joined: ICE connected. First audio: join sent → first non-silent audio. MOS: E-model estimate from RTT, jitter and loss (docs/calls.md).',
  };
}

export function callsAudioTable(summary: Summary): Table | undefined {
  const pairs = seriesOf(summary, 'calls_audio_packets_received').filter(
    (s) => s.metric.type === 'counter' && s.selector.tags.listener !== undefined,
  );
  if (pairs.length === 0) return undefined;
  pairs.sort((a, b) => a.key.localeCompare(b.key));
  const rows = pairs.slice(0, MAX_PAIR_ROWS).map((s) => {
    const count = s.metric.type === 'counter' ? s.metric.count : 0;
    return [
      cell.code(s.selector.tags.call ?? NONE),
      cell.code(s.selector.tags.listener ?? NONE),
      cell.code(s.selector.tags.speaker ?? NONE),
      cell.num(integer(count), count === 0 ? 'bad' : undefined),
    ];
  });
  return {
    id: 'calls-audio',
    title: 'Calls audio received (listener ← speaker)',
    header: ['call', 'listener', 'speaker', 'packets'],
    rows,
    note:
      pairs.length > MAX_PAIR_ROWS
        ? `First ${MAX_PAIR_ROWS} of ${pairs.length} pairs; all are in summary.json.`
        : 'RTP audio packets each listener received from each speaker (getStats).',
  };
}
