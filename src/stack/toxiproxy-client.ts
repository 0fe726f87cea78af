// A typed client for Toxiproxy's HTTP API (v2.12). Every network fault a drill injects goes
// through it: toxics for impairment, `enabled` for a partition, `upstream` for a moved endpoint.
// It lives in stack/ because the stack providers create the proxies with it; faults/ adds toxics.

/** Which direction a toxic acts on: client → upstream, or upstream → client. */
export type ToxicStream = 'upstream' | 'downstream';

/** Attributes of each toxic type Toxiproxy 2.12 registers (times in ms unless noted). */
export interface ToxicAttributesByType {
  /** Delays every chunk by `latency` ± `jitter`. */
  latency: { latency: number; jitter?: number };
  /** Limits throughput to `rate` KB/s. */
  bandwidth: { rate: number };
  /** Delays the close of the connection. */
  slow_close: { delay: number };
  /** Stops all data; closes the connection after `timeout` (0: never). */
  timeout: { timeout: number };
  /** Resets the connection (TCP RST) after `timeout`. */
  reset_peer: { timeout: number };
  /** Splits data into packets of about `average_size` bytes, `delay` µs apart. */
  slicer: { average_size: number; size_variation?: number; delay?: number };
  /** Closes the connection once `bytes` have passed. */
  limit_data: { bytes: number };
  noop: Record<string, never>;
}

export type ToxicType = keyof ToxicAttributesByType;

/** A toxic as the server reports it. */
export interface Toxic<T extends ToxicType = ToxicType> {
  name: string;
  type: T;
  stream: ToxicStream;
  /** Probability (0..1) that a connection gets the toxic. */
  toxicity: number;
  attributes: ToxicAttributesByType[T];
}

/** What addToxic() needs; the server names it `<type>_<stream>` when `name` is left out. */
export interface ToxicSpec<T extends ToxicType = ToxicType> {
  type: T;
  attributes: ToxicAttributesByType[T];
  name?: string;
  /** Default 'downstream', as on the server. */
  stream?: ToxicStream;
  /** Default 1. */
  toxicity?: number;
}

/** Fields left out keep their current value. */
export interface ToxicUpdate<T extends ToxicType = ToxicType> {
  attributes?: Partial<ToxicAttributesByType[T]>;
  toxicity?: number;
}

/** A proxy as the server reports it. `listen` is the bound address, even when created with port 0. */
export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

export interface ProxySpec {
  name: string;
  /** host:port; `127.0.0.1:0` lets the server pick a port (kept across disable/enable). */
  listen: string;
  upstream: string;
  /** Default true. */
  enabled?: boolean;
}

/** Fields left out keep their current value. */
export interface ProxyUpdate {
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

export interface ToxiproxyClientOptions {
  /** Per-request timeout; default 10 s (the server's own handler timeout is 25 s). */
  timeoutMs?: number;
}

/** A non-2xx answer from the API, with the status and the server's message. */
export class ToxiproxyApiError extends Error {
  override readonly name = 'ToxiproxyApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`Toxiproxy ${method} ${path} failed: ${status} ${serverMessage(body)}`);
  }
}

/** The API answers errors as `{"error": "...", "status": N}`; show the message, else the raw body. */
function serverMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string')
      return parsed.error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim() || '(empty body)';
}

const segment = encodeURIComponent;

export class ToxiproxyClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  /** `baseUrl` is the API's root, e.g. `http://127.0.0.1:8474`. */
  constructor(baseUrl: string, options: ToxiproxyClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The server's version: e.g. '2.12.0' for release binaries, 'git' for `go install` builds. */
  async version(): Promise<string> {
    const body = await this.request<{ version: string }>('GET', '/version');
    return body.version;
  }

  async listProxies(): Promise<ProxyState[]> {
    // The API answers a map keyed by name; a list sorted by name is easier to use.
    const byName = await this.request<Record<string, ProxyState>>('GET', '/proxies');
    return Object.values(byName).sort((a, b) => a.name.localeCompare(b.name));
  }

  async getProxy(name: string): Promise<ProxyState> {
    return this.request('GET', `/proxies/${segment(name)}`);
  }

  /** Fails with 409 when a proxy of that name exists. */
  async createProxy(spec: ProxySpec): Promise<ProxyState> {
    return this.request('POST', '/proxies', { enabled: true, ...spec });
  }

  /**
   * Changes listen, upstream or enabled. A changed listen or upstream restarts the proxy, which
   * closes its open connections (as when a virtual IP moves).
   */
  async updateProxy(name: string, update: ProxyUpdate): Promise<ProxyState> {
    return this.request('PATCH', `/proxies/${segment(name)}`, update);
  }

  /** Partition: the listener closes (new connections are refused) and open connections are cut. */
  async disableProxy(name: string): Promise<ProxyState> {
    return this.updateProxy(name, { enabled: false });
  }

  async enableProxy(name: string): Promise<ProxyState> {
    return this.updateProxy(name, { enabled: true });
  }

  /** Points the link at another server (a database failover's endpoint move). */
  async setUpstream(name: string, upstream: string): Promise<ProxyState> {
    return this.updateProxy(name, { upstream });
  }

  async deleteProxy(name: string): Promise<void> {
    await this.request('DELETE', `/proxies/${segment(name)}`);
  }

  /**
   * Creates the proxies, replacing same-named ones whose settings differ and keeping identical
   * ones (with their toxics). Returns the proxies named in `specs`.
   */
  async populate(specs: readonly ProxySpec[]): Promise<ProxyState[]> {
    const body = await this.request<{ proxies: ProxyState[] }>('POST', '/populate', specs);
    return body.proxies;
  }

  async listToxics(proxy: string): Promise<Toxic[]> {
    return this.request('GET', `/proxies/${segment(proxy)}/toxics`);
  }

  async getToxic(proxy: string, name: string): Promise<Toxic> {
    return this.request('GET', `/proxies/${segment(proxy)}/toxics/${segment(name)}`);
  }

  async addToxic<T extends ToxicType>(proxy: string, spec: ToxicSpec<T>): Promise<Toxic<T>> {
    return this.request('POST', `/proxies/${segment(proxy)}/toxics`, spec);
  }

  async updateToxic<T extends ToxicType>(
    proxy: string,
    name: string,
    update: ToxicUpdate<T>,
  ): Promise<Toxic<T>> {
    return this.request('PATCH', `/proxies/${segment(proxy)}/toxics/${segment(name)}`, update);
  }

  async removeToxic(proxy: string, name: string): Promise<void> {
    await this.request('DELETE', `/proxies/${segment(proxy)}/toxics/${segment(name)}`);
  }

  /** Enables every proxy and removes every toxic (proxies stay). */
  async reset(): Promise<void> {
    await this.request('POST', '/reset');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        // The server refuses browser user agents (a CSRF guard); say who we are.
        headers: {
          'user-agent': 'mmdrill',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw new Error(`Toxiproxy ${method} ${path} at ${this.baseUrl}: no answer (${reason})`);
    }
    const text = await response.text();
    if (!response.ok) throw new ToxiproxyApiError(method, path, response.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
