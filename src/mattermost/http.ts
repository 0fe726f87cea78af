import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { METRIC, type Metrics, type Tags } from '../metrics/api.js';
import { ENDPOINT_GROUPS, endpointGroupOf, groupRequestsMetric } from './endpoint-group.js';
import { endpointTemplate } from './endpoint-template.js';
import { type Client4, ClientError } from './official-client.js';
import { answeringComponent, failureMessage, RequestFailure } from './request-failure.js';

// Every REST call of the harness goes through Client4 (the official client) and is timed and
// recorded here, k6-style: `http_reqs`, `http_req_duration`, `http_req_failed`, plus `mm_timeouts`
// for requests cut by the client timeout (Mattermost's ceiling tests use 5 s).

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** What a request is done for: the user action (metric tag) and the signal that cancels it. */
export interface RequestScope {
  action: string;
  signal?: AbortSignal;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with every request it makes tagged `action` and cancelled by `signal`. */
export function inScope<T>(scope: RequestScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/** The signal of the action running now (undefined outside one): pauses inside an action end with it. */
export function currentSignal(): AbortSignal | undefined {
  return scopes.getStore()?.signal;
}

/** A request cut by the client timeout. */
export class RequestTimeoutError extends Error {
  readonly status_code = 0;
  constructor(
    readonly method: string,
    readonly endpoint: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${endpoint}: no complete answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** HTTP status of a failed request, 0 for network errors and timeouts. */
export function statusOf(err: unknown): number {
  if (err instanceof ClientError) return err.status_code ?? 0;
  if (err instanceof RequestTimeoutError) return 0;
  return 0;
}

interface FetchAnswer {
  response: Response;
  headers: Map<string, string>;
  data: unknown;
}
type FetchOptions = RequestInit & { ignoreStatus?: boolean };
type DoFetchWithResponse = (url: string, options: FetchOptions) => Promise<FetchAnswer>;

export interface InstrumentOptions {
  metrics: Metrics;
  /** Client timeout for the whole request, body included. Default 5 s. */
  timeoutMs?: number;
}

/**
 * Makes `client` record every request. Client4 keeps `doFetchWithResponse` private in its types,
 * but every public method goes through it, so replacing it on the instance covers them all.
 * Errors keep Client4's shape (ClientError), with `status_code` taken from the response itself
 * (Client4 takes it from the JSON body, which a proxy's HTML 502 or a 429 does not have).
 */
export function instrumentClient<C extends Client4>(client: C, options: InstrumentOptions): C {
  const internals = client as unknown as { doFetchWithResponse: DoFetchWithResponse };
  const original = internals.doFetchWithResponse;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const reqs = options.metrics.counter(METRIC.httpReqs);
  const duration = options.metrics.trend(METRIC.httpReqDuration);
  const failed = options.metrics.rate(METRIC.httpReqFailed);
  const timeouts = options.metrics.counter(METRIC.timeouts);
  const groups = Object.fromEntries(
    ENDPOINT_GROUPS.map((g) => [g, options.metrics.counter(groupRequestsMetric(g))]),
  );

  internals.doFetchWithResponse = async (url, fetchOptions) => {
    const scope = scopes.getStore();
    const method = (fetchOptions.method ?? 'GET').toUpperCase();
    const name = endpointTemplate(url);
    const action = scope?.action ?? 'none';
    // One controller per request: a timer for the client timeout and a listener on the scope's
    // signal, both removed at the end (AbortSignal.any keeps references on the long-lived signal).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new RequestTimeoutError(method, name, timeoutMs));
    }, timeoutMs);
    const outer = scope?.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener('abort', onAbort, { once: true });

    const start = performance.now();
    let status = 0;
    try {
      const answer = await original(url, { ...fetchOptions, signal: controller.signal, ignoreStatus: true });
      status = answer.response.status;
      if (!answer.response.ok && !fetchOptions.ignoreStatus)
        throw requestFailure(client, method, name, url, answer);
      return answer;
    } catch (err) {
      if (timedOut) throw new RequestTimeoutError(method, name, timeoutMs);
      // fetch's network errors (refused, reset, unknown host): said with the request they failed.
      if (err instanceof TypeError && err.message === 'fetch failed' && !outer?.aborted)
        throw noAnswer(client, method, name, url, err);
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      // A request the run itself cancelled says nothing about the server: not recorded.
      if (!(outer?.aborted && !timedOut && status === 0)) {
        const tags: Tags = { method, name, status: String(status), action };
        reqs.add(1, tags);
        groups[endpointGroupOf(action, name)]!.add(1);
        duration.add(performance.now() - start, tags);
        failed.add(status === 0 || status >= 400, tags);
        if (timedOut) timeouts.add(1, { method, name, action });
      }
    }
  };
  return client;
}

/** A request that got no answer at all: status 0, with the network error's cause as the message. */
function noAnswer(
  client: Client4,
  method: string,
  endpoint: string,
  url: string,
  err: TypeError,
): RequestFailure {
  const cause = err.cause instanceof Error ? err.cause.message : err.message;
  const failure = new RequestFailure(client.getUrl(), method, endpoint, 0, 'no answer', undefined, {
    message: cause,
    url,
  });
  failure.cause = err;
  return failure;
}

/** The error Client4 would throw, with the response's real status and who answered. */
export function requestFailure(
  client: Client4,
  method: string,
  endpoint: string,
  url: string,
  answer: FetchAnswer,
): RequestFailure {
  const { data } = answer;
  const status = answer.response.status;
  const server = answer.response.headers.get('server') ?? undefined;
  const body = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const id = text('id');
  const detail = text('detailed_error');
  return new RequestFailure(
    client.getUrl(),
    method,
    endpoint,
    status,
    answeringComponent(data, server),
    server,
    {
      message: failureMessage(data, status),
      ...(id !== undefined && { server_error_id: id }),
      ...(detail !== undefined && { detailed_error: detail }),
      url,
    },
  );
}
