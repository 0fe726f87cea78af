// The generated k6 script, part 1: imports, run-time settings from the environment, metrics and
// the HTTP helper every action uses. Plain k6 TypeScript kept in a string (no `${` or backticks
// in it, so that it passes through this module untouched); typed against @types/k6 by a test.

export const PRELUDE_SOURCE = `
import http from 'k6/http';
import type { RefinedResponse, RequestBody } from 'k6/http';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';

// k6 has a console; @types/k6 leaves it to the DOM library, which k6 does not have.
declare const console: { log(...args: unknown[]): void; warn(...args: unknown[]): void };

/** What mmdrill embeds about the scenario (below). */
interface ExportData {
  scenario: { name: string; file: string; scenarios: string[] };
  environment: string;
  mix: { actions: { name: string; cumulative: number }[]; total: number };
  idle: { minMs: number; avgMs: number };
  rates: { rate: number; share: number }[];
  statusIntervalMs: number;
  reconnect: { minRetryMs: number; jitterMs: number };
  replyShare: number;
  users: { prefix: string; count: number } | null;
  words: string[];
  scenarioLengthsMs: Record<string, number>;
  thresholds: { metric: string; expression: string; abortOnFail?: boolean; source?: string }[];
  skippedThresholds: { metric: string; expression: string; reason: string }[];
}
`;

export const SETTINGS_SOURCE = `
// ---- run-time settings: the deployment and the accounts come from the environment ----------
function setting(name: string, fallback?: string): string {
  const value = __ENV[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(name + ' is not set: see the header of this script');
}

const BASE_URL = setting('MM_URL').replace(/\\/+$/, '');
const WS_URL = BASE_URL.replace(/^http/, 'ws') + '/api/v4/websocket';
const REQUEST_TIMEOUT = setting('MM_REQUEST_TIMEOUT', '5s');
const SUMMARY_FILE = setting('MM_SUMMARY_FILE', 'mmdrill-k6-summary.json');

// ---- metrics: the names and tags of mmdrill's own, so its thresholds read the same ----------
const actionDuration = new Trend('mm_action_duration', true);
const actions = new Counter('mm_actions');
const timeouts = new Counter('mm_timeouts');
const timeoutRate = new Rate('mm_timeout_rate');
const http5xx = new Rate('http_req_5xx');
const wsConnects = new Counter('mm_ws_connects');
const wsReconnects = new Counter('mm_ws_reconnects');
const wsReconnectTime = new Trend('mm_ws_reconnect_time', true);
const wsGaps = new Counter('mm_ws_seq_gaps');
const wsEvents = new Counter('mm_ws_events');
const deliveryLatency = new Trend('mm_delivery_latency', true);
const deliveryPosts = new Counter('mm_delivery_posts');

// k6 reports a request that hit its timeout with this error code.
const K6_TIMEOUT_ERROR = 1050;

type Response = RefinedResponse<'text'>;

/** One REST call of an action, tagged with the action and the endpoint template. */
async function call(
  user: User | null,
  action: string,
  method: string,
  path: string,
  name: string,
  body?: unknown,
  form?: RequestBody,
): Promise<Response> {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
  if (user !== null && user.token !== '') headers.Authorization = 'Bearer ' + user.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const payload = form !== undefined ? form : body === undefined ? null : JSON.stringify(body);
  const res = await http.asyncRequest(method, BASE_URL + path, payload, {
    headers,
    tags: { action, name },
    timeout: REQUEST_TIMEOUT,
    responseType: 'text',
  });
  const timedOut = res.error_code === K6_TIMEOUT_ERROR;
  timeoutRate.add(timedOut);
  if (timedOut) timeouts.add(1, { action });
  http5xx.add(res.status >= 500, { action, name });
  return res;
}

/** The JSON body of a 2xx answer; anything else fails the action. */
function ok<T>(res: Response): T {
  if (res.status < 200 || res.status >= 300)
    throw new Error(res.request.method + ' ' + res.url + ' answered ' + res.status + ' ' + res.error);
  const text = typeof res.body === 'string' ? res.body : '';
  return (text === '' ? {} : JSON.parse(text)) as T;
}
`;
