import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PROVIDERS } from '../stack/environment.js';
import { CapacityReportSchema } from './capacity-schema.js';
import { DriftReportSchema } from './drift-schema.js';
import { EgressReportSchema } from './egress-schema.js';
import { SovereigntyReportSchema } from './sovereignty-schema.js';
import { SteadyStateReportSchema } from './steady-state-schema.js';

// summary.json: the stable contract users' CI scripts read. Published as
// schemas/summary.schema.json. Add fields as optional; never rename or remove one.

const Closed = { additionalProperties: false } as const;
const Ms = (description: string) => Type.Number({ description: `${description} (ms)` });
const MsOrNull = (description: string) =>
  Type.Union([Type.Number(), Type.Null()], { description: `${description} (ms); null without samples` });

export const TrendSummarySchema = Type.Object(
  {
    type: Type.Literal('trend'),
    count: Type.Integer({ minimum: 0 }),
    avg: Ms('mean'),
    min: Ms('minimum'),
    med: Ms('median'),
    p90: Ms('90th percentile'),
    p95: Ms('95th percentile'),
    p99: Ms('99th percentile'),
    max: Ms('maximum'),
  },
  {
    ...Closed,
    description:
      'A distribution (durations in ms; HDR histogram, < 0.1 % relative error). All 0 without samples.',
  },
);

export const RateSummarySchema = Type.Object(
  {
    type: Type.Literal('rate'),
    count: Type.Number({ minimum: 0, description: 'Values recorded.' }),
    passes: Type.Number({ minimum: 0, description: 'Values that were true.' }),
    rate: Type.Number({ minimum: 0, maximum: 1, description: 'passes / count.' }),
  },
  { ...Closed, description: 'A share of true values (k6 Rate).' },
);

export const CounterSummarySchema = Type.Object(
  {
    type: Type.Literal('counter'),
    count: Type.Number({ minimum: 0 }),
    rate: Type.Number({ minimum: 0, description: 'Per second over the run.' }),
  },
  { ...Closed, description: 'A monotonic count (k6 Counter).' },
);

export const GaugeSummarySchema = Type.Object(
  {
    type: Type.Literal('gauge'),
    value: Type.Number({ description: 'Last value.' }),
    min: Type.Number(),
    max: Type.Number(),
  },
  { ...Closed, description: 'A last value with its range (k6 Gauge).' },
);

export const ThresholdResultSchema = Type.Object(
  {
    metric: Type.String({
      description: 'Metric with its tag filter in k6 form: http_req_duration{action:create_post}.',
    }),
    expression: Type.String({ description: "As written: 'p(99)<2000'." }),
    ok: Type.Boolean(),
    value: Type.Union([Type.Number(), Type.Null()], {
      description: 'The measured value; null when the series had no samples (not judged, counted as ok).',
    }),
    abortOnFail: Type.Optional(Type.Boolean()),
    source: Type.Optional(
      Type.String({ description: 'targets:<set> for target-set thresholds; absent for the scenario.' }),
    ),
  },
  Closed,
);

export const TargetCheckSchema = Type.Object(
  {
    id: Type.String(),
    check: Type.String(),
    limit: Type.String(),
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not-evaluated')], {
      description: 'not-evaluated: the run could not measure it (e.g. needs server metrics); never a pass.',
    }),
    metric: Type.Optional(Type.String()),
    expression: Type.Optional(Type.String()),
    value: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    note: Type.Optional(Type.String()),
  },
  Closed,
);

export const HarnessSummarySchema = Type.Object(
  {
    eventLoopDelayP99Ms: Ms("p99 of the harness's event-loop delay over the run"),
    eventLoopDelayMaxMs: Type.Optional(Ms('largest event-loop delay')),
    cpu: Type.Number({
      minimum: 0,
      description: 'Average CPU of the harness process, as a share of one core.',
    }),
    saturated: Type.Boolean({ description: 'The harness was the bottleneck: the verdict is invalid.' }),
    reason: Type.Optional(Type.String()),
  },
  Closed,
);

const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Iso = (description: string) => Type.String({ description: `${description} (ISO 8601)` });

export const FaultVerdictSchema = Type.Object(
  {
    name: Type.String({ description: "The fault's name in the fault plan." }),
    kind: Type.String({ description: 'Fault kind: latency, partition, kill, db-failover…' }),
    target: Type.String({ description: 'The link or component it was applied to.' }),
    startedAt: Iso('When the fault was applied'),
    endedAt: Iso('When it was fully removed'),
    interrupted: Type.Boolean({
      description: 'The run ended (or was interrupted) during the fault, which was then removed.',
    }),
    recoveryFrom: Type.Union([Type.Literal('end'), Type.Literal('start')], {
      description: "Recovery counted from the fault's end, or from its start (failovers).",
    }),
    timeToFirstErrorMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description:
        'From the fault start to the first second with a failed request (1 s resolution); null if none failed.',
    }),
    requestsInWindow: Count('Requests completed during the fault (seconds overlapping its window).'),
    errorsInWindow: Count('Of which failed.'),
    errorRateInWindow: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
      description: 'errorsInWindow / requestsInWindow; null without requests.',
    }),
    p99InWindowMs: MsOrNull('p99 of http_req_duration during the fault'),
    baselineP99Ms: MsOrNull('p99 of http_req_duration before the first fault (the baseline)'),
    recoveryMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description:
        'From the fault end (start for failovers) until error rate and p99 were healthy for the sustain span (ms); null: not recovered before the run ended.',
    }),
    maxRecoveryMs: Type.Number({ minimum: 0, description: 'The drill’s limit on recoveryMs (ms).' }),
    errorBudget: Type.Object(
      {
        failedRequests: Count('Failed requests in the fault window and its recovery span.'),
        requests: Count('Requests in that span.'),
        allowed: Type.Number({ minimum: 0, description: 'Failed requests the drill allows there.' }),
      },
      Closed,
    ),
    errorBudgetSpent: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description:
        'failedRequests / allowed (1 = all spent, above 1 = over budget); null when the budget allowed no failure and some happened.',
    }),
    wsReconnects: Count(
      'WebSocket reconnects completed during the fault, its recovery and the sustain span.',
    ),
    wsResyncs: Type.Optional(
      Count(
        'Clients that resynced in that span: a new hello after lost events (the server no longer had their events), so they reloaded what they had missed, as the web app does (mm_ws_resyncs). Absent in summaries written before it was counted.',
      ),
    ),
    wsReconnectTimeMs: Type.Union(
      [
        Type.Object({ p50: Ms('median'), p95: Ms('95th percentile'), max: Ms('maximum') }, Closed),
        Type.Null(),
      ],
      { description: 'Distribution of those reconnect times (mm_ws_reconnect_time); null without any.' },
    ),
    calls: Type.Optional(
      Type.Object(
        {
          outcome: Type.Union(
            [
              Type.Literal('unaffected'),
              Type.Literal('kept'),
              Type.Literal('rejoined'),
              Type.Literal('lost'),
            ],
            {
              description:
                'unaffected: no participant had to reconnect; kept: they reconnected and their media sessions survived; rejoined: sessions were torn down and joined again; lost: fewer participants had media afterwards than before.',
            },
          ),
          participantsBefore: Count('Participants with media connected in the second before the fault.'),
          participantsAfter: Count('Participants with media connected at the end of the recovery span.'),
          reconnects: Count('`reconnect` messages sent by participants during the fault and its recovery.'),
          rejoins: Count('Sessions torn down and joined again during the fault and its recovery.'),
          secondsWithoutAudio: Count(
            'Seconds of the fault and its recovery in which no participant received audio.',
          ),
          media: Type.Object(
            {
              mosBefore: Nullable('Mean of the per-second median MOS over the 10 s before the fault.'),
              mosDuring: Nullable('The same during the fault.'),
              jitterBeforeMs: Nullable('Mean of the per-second p95 inbound jitter (ms) before the fault.'),
              jitterDuringMs: Nullable('The same during the fault.'),
              lossBeforePct: Nullable('Mean of the per-second p95 packet loss (%) before the fault.'),
              lossDuringPct: Nullable('The same during the fault.'),
            },
            {
              ...Closed,
              description: 'Media quality before and during the fault (a media-path impairment shows here).',
            },
          ),
        },
        Closed,
      ),
    ),
    ok: Type.Boolean({ description: 'Recovered within maxRecoveryMs and within the error budget.' }),
    reason: Type.String({ description: 'One sentence saying why.' }),
  },
  { ...Closed, description: 'One fault and its verdict.' },
);

const MissedDeliverySchema = Type.Object(
  {
    postId: Type.String(),
    channelId: Type.String(),
    senderVu: Type.Integer({ minimum: 0, description: "The sender's VU (numbered per scenario)." }),
    memberVu: Type.Integer({ minimum: 0, description: 'The member who never got it (VU, per scenario).' }),
  },
  Closed,
);

export const AuditReportSchema = Type.Object(
  {
    acknowledgedPosts: Count('Posts the server acknowledged (create answered 201) during the run.'),
    lostPosts: Count('Of which a healthy node answered 404 when read back: acknowledged, then lost.'),
    lostPostIds: Type.Array(Type.String(), { maxItems: 20, description: 'The first 20 lost posts.' }),
    unverifiedPosts: Count('Posts no node answered for (5xx, no answer) before the read-back gave up.'),
    expectedDeliveries: Count('(post, online member) pairs owed a `posted` delivery.'),
    missedDeliveries: Count('Of which never delivered: not live, not by replay, not by refetch.'),
    missed: Type.Array(MissedDeliverySchema, {
      maxItems: 20,
      description: 'The first 20 missed deliveries.',
    }),
    ok: Type.Boolean({ description: 'No post lost or unverified, no delivery missed.' }),
    reason: Type.String({ description: 'One sentence saying why.' }),
  },
  { ...Closed, description: 'Post-run audits: acknowledged posts read back, deliveries to online members.' },
);

const PreparationSchema = Type.Object(
  {
    durationS: Type.Number({
      minimum: 0,
      description: 'From preparing the first VU to the start of the load (s).',
    }),
    requests: Count('HTTP requests made while preparing (logins, first loads of the web app).'),
    failedRequests: Count('Of those, the failed ones.'),
    latency: Type.Object(
      { p50: Ms('p50'), p95: Ms('p95'), p99: Ms('p99'), max: Ms('largest') },
      { ...Closed, description: 'http_req_duration of the preparation requests.' },
    ),
  },
  {
    ...Closed,
    description:
      "The preparation before the load (every VU's login and first load). Its requests are part of the whole-run metrics (the headline p99) but come before the time series starts.",
  },
);

const SearchBandSchema = Type.Object(
  {
    band: Type.String({ description: 'common, rare, phrase, hashtag, from, in or date (docs/search.md).' }),
    searches: Count('Post searches of this band that got an answer.'),
    latency: Type.Object(
      { p50: Ms('median'), p95: Ms('95th percentile'), p99: Ms('99th percentile'), max: Ms('maximum') },
      Closed,
    ),
    results: Type.Object(
      {
        mean: Type.Number({ minimum: 0, description: 'Posts returned, on average.' }),
        p50: Type.Number({ minimum: 0, description: 'Median posts returned.' }),
        max: Type.Number({ minimum: 0, description: 'Most posts returned by one search.' }),
      },
      Closed,
    ),
  },
  Closed,
);

export const SummarySchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Version of this document format.' }),
    verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('invalid')], {
      description:
        'invalid: the harness saturated, so the result says nothing about the server (exit 99); ' +
        'fail: a threshold (or audit) failed (exit 99); pass: exit 0.',
    }),
    reason: Type.String({ description: 'One sentence saying why the verdict is what it is.' }),
    startedAt: Type.String({ description: 'ISO 8601.' }),
    endedAt: Type.String({ description: 'ISO 8601.' }),
    durationS: Type.Number({ minimum: 0 }),
    partial: Type.Boolean({
      description: 'True when the run was interrupted (signal, abortOnFail) before its end.',
    }),
    command: Type.Array(Type.String(), { description: 'The command line, secrets replaced by ***.' }),
    drill: Type.Optional(
      Type.Object(
        {
          name: Type.String({ description: "The drill's name." }),
          file: Type.String({ description: 'The drill file.' }),
          short: Type.Boolean({ description: 'True when the short form (CI) ran.' }),
        },
        { ...Closed, description: 'Present when the run was a drill (`mmdrill drill`).' },
      ),
    ),
    versions: Type.Optional(
      Type.Object(
        { mmdrill: Type.String(), node: Type.String() },
        { ...Closed, description: 'Versions of mmdrill and Node.js that ran the load.' },
      ),
    ),
    scenario: Type.Object(
      {
        name: Type.String({ description: 'As given on the command line.' }),
        file: Type.Optional(Type.String()),
        scenarios: Type.Optional(Type.Array(Type.String(), { description: 'Named scenarios that ran.' })),
      },
      Closed,
    ),
    environment: Type.Object(
      {
        name: Type.String(),
        provider: Type.Union(
          PROVIDERS.map((p) => Type.Literal(p)),
          { description: 'Stack provider.' },
        ),
        url: Type.String({ description: "The users' entry URL." }),
      },
      Closed,
    ),
    thresholds: Type.Array(ThresholdResultSchema),
    targets: Type.Optional(
      Type.Object(
        { name: Type.String(), checks: Type.Array(TargetCheckSchema) },
        { ...Closed, description: 'Target set.' },
      ),
    ),
    metrics: Type.Record(
      Type.String(),
      Type.Union([TrendSummarySchema, RateSummarySchema, CounterSummarySchema, GaugeSummarySchema]),
      {
        description:
          'Keyed by metric name, tagged series in k6 form: name{tag:value,tag2:value} (tags sorted).',
      },
    ),
    delivery: Type.Object(
      {
        posts: Type.Integer({ minimum: 0, description: 'Posts whose delivery was measured.' }),
        latency: Type.Object({ p50: MsOrNull('p50'), p95: MsOrNull('p95'), p99: MsOrNull('p99') }, Closed),
        undelivered: Type.Integer({
          minimum: 0,
          description: 'Post × member deliveries that never happened.',
        }),
      },
      { ...Closed, description: 'Post → `posted` event delivery to every online member.' },
    ),
    harness: HarnessSummarySchema,
    preparation: Type.Optional(PreparationSchema),
    faults: Type.Optional(
      Type.Array(FaultVerdictSchema, { description: 'Fault verdicts, in the order the faults started.' }),
    ),
    audits: Type.Optional(AuditReportSchema),
    capacity: Type.Optional(CapacityReportSchema),
    drift: Type.Optional(DriftReportSchema),
    steadyState: Type.Optional(SteadyStateReportSchema),
    sovereignty: Type.Optional(SovereigntyReportSchema),
    egress: Type.Optional(EgressReportSchema),
    searchBands: Type.Optional(
      Type.Array(SearchBandSchema, {
        description:
          'Post searches by query band (mm_search_duration{band}, mm_search_results{band}), in band order; present when the run searched posts with the corpus bands.',
      }),
    ),
    requestsPerUserHour: Type.Optional(
      Type.Object(
        {
          userHours: Type.Number({
            minimum: 0,
            description: 'Logged-in user time of the run (mm_user_seconds / 3600).',
          }),
          auditRequests: Count(
            "The delivery audit's requests (action `refetch`: posts fetched to settle deliveries not seen live), left out of `endpoints`.",
          ),
          endpoints: Type.Array(
            Type.Object(
              {
                method: Type.String(),
                endpoint: Type.String({ description: 'Endpoint template, as the `name` tag of http_reqs.' }),
                requests: Count('Requests to it, login, first load and the delivery audit left out.'),
                perUserHour: Type.Number({ minimum: 0, description: 'requests / userHours.' }),
              },
              Closed,
            ),
            { description: 'Busiest first.' },
          ),
        },
        {
          ...Closed,
          description:
            "Requests per user-hour by endpoint (user-model runs only), comparable with docs/scenarios.md's table.",
        },
      ),
    ),
  },
  Closed,
) satisfies TSchema;

export type Summary = Static<typeof SummarySchema>;
export type Verdict = Summary['verdict'];
export type MetricSummary = Summary['metrics'][string];
export type FaultVerdict = Static<typeof FaultVerdictSchema>;
export type AuditReport = Static<typeof AuditReportSchema>;
