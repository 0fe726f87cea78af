import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOOPBACK } from '../../common/loopback.js';

/** What a strategy may look at while a process starts. */
export interface WaitContext {
  /** stdout and stderr the process wrote since its latest start, interleaved. */
  readLogSinceStart(): Promise<string>;
}

/** One explicit readiness condition, polled until it holds. */
export interface WaitStrategy {
  readonly description: string;
  readonly pollIntervalMs: number;
  /** True when ready. False or a thrown error both mean "not yet"; the error is kept for reports. */
  check(context: WaitContext): Promise<boolean>;
}

const DEFAULT_POLL_MS = 100;

function tcpConnects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

class ListeningPortWait implements WaitStrategy {
  readonly pollIntervalMs = DEFAULT_POLL_MS;
  readonly description: string;
  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {
    this.description = `TCP ${host}:${port} accepting connections`;
  }
  check(): Promise<boolean> {
    return tcpConnects(this.host, this.port, 1_000);
  }
}

export interface HttpWaitOptions {
  /** Expected status code(s); default 200. */
  status?: number | readonly number[];
  method?: string;
  /** Per-request timeout; a server that accepts but never answers is not ready. */
  requestTimeoutMs?: number;
}

class HttpWait implements WaitStrategy {
  readonly pollIntervalMs = DEFAULT_POLL_MS;
  readonly description: string;
  private readonly statuses: readonly number[];
  constructor(
    private readonly url: string,
    private readonly options: HttpWaitOptions,
  ) {
    const status = options.status ?? 200;
    this.statuses = typeof status === 'number' ? [status] : status;
    this.description = `HTTP ${options.method ?? 'GET'} ${url} → ${this.statuses.join('|')}`;
  }
  async check(): Promise<boolean> {
    const response = await fetch(this.url, {
      method: this.options.method ?? 'GET',
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 2_000),
    });
    await response.body?.cancel();
    if (this.statuses.includes(response.status)) return true;
    throw new Error(`status ${response.status}`);
  }
}

class LogLineWait implements WaitStrategy {
  readonly pollIntervalMs = DEFAULT_POLL_MS;
  readonly description: string;
  constructor(
    private readonly pattern: RegExp,
    private readonly times: number,
  ) {
    this.description = `log line matching ${pattern}${times > 1 ? ` ×${times}` : ''}`;
  }
  async check(context: WaitContext): Promise<boolean> {
    const log = await context.readLogSinceStart();
    const matches = log.split('\n').filter((line) => this.pattern.test(line)).length;
    return matches >= this.times;
  }
}

class PredicateWait implements WaitStrategy {
  constructor(
    readonly description: string,
    private readonly predicate: () => Promise<boolean>,
    readonly pollIntervalMs: number,
  ) {}
  check(): Promise<boolean> {
    return this.predicate();
  }
}

class AllOfWait implements WaitStrategy {
  readonly pollIntervalMs: number;
  readonly description: string;
  constructor(private readonly strategies: readonly WaitStrategy[]) {
    this.description = strategies.map((s) => s.description).join(' and ');
    this.pollIntervalMs = Math.min(...strategies.map((s) => s.pollIntervalMs));
  }
  async check(context: WaitContext): Promise<boolean> {
    for (const strategy of this.strategies) {
      if (!(await strategy.check(context))) return false;
    }
    return true;
  }
}

/** Factory for the wait strategies; every component names the one it uses. */
export const Wait = {
  forListeningPort(port: number, host: string = LOOPBACK): WaitStrategy {
    return new ListeningPortWait(port, host);
  },
  forHttp(url: string, options: HttpWaitOptions = {}): WaitStrategy {
    return new HttpWait(url, options);
  },
  forLogLine(pattern: RegExp, times = 1): WaitStrategy {
    return new LogLineWait(pattern, times);
  },
  forPredicate(
    description: string,
    predicate: () => Promise<boolean>,
    pollIntervalMs = DEFAULT_POLL_MS,
  ): WaitStrategy {
    return new PredicateWait(description, predicate, pollIntervalMs);
  },
  forAll(...strategies: WaitStrategy[]): WaitStrategy {
    return new AllOfWait(strategies);
  },
};

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** A check that hangs (a frozen server, say) must not stretch the overall timeout. */
function withinDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('check still pending')), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Polls `strategy` until it holds. Rejects after `timeoutMs`, or as soon as `abandon` settles
 * (a process that exited will never become ready, so there is no point in waiting it out).
 */
export async function pollUntilReady(
  strategy: WaitStrategy,
  context: WaitContext,
  timeoutMs: number,
  abandon?: Promise<never>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let settled = false;
  const poll = async (): Promise<void> => {
    while (!settled) {
      try {
        if (await withinDeadline(strategy.check(context), deadline)) return;
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) {
        const reason = lastError instanceof Error ? ` (last attempt: ${lastError.message})` : '';
        throw new WaitTimeoutError(
          `timed out after ${timeoutMs} ms waiting for ${strategy.description}${reason}`,
        );
      }
      await sleep(Math.min(strategy.pollIntervalMs, Math.max(0, deadline - Date.now())));
    }
  };
  try {
    await (abandon ? Promise.race([poll(), abandon]) : poll());
  } finally {
    settled = true;
  }
}
