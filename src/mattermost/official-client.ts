// Mattermost's official JS client (`@mattermost/client`), made to work in Node 20.
import mattermostClient from '@mattermost/client';
import { WebSocket } from 'ws';

export const { Client4, WebSocketClient, ClientError } = mattermostClient;
export type Client4 = InstanceType<typeof Client4>;
export type WebSocketClient = InstanceType<typeof WebSocketClient>;

// Node 20 has neither a global WebSocket (the client reads WebSocket.OPEN) nor CloseEvent.
if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket });
if (!('CloseEvent' in globalThis)) {
  class CloseEventPolyfill extends Event {
    readonly code: number;
    readonly reason: string;
    readonly wasClean: boolean;
    constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
      super(type);
      this.code = init.code ?? 0;
      this.reason = init.reason ?? '';
      this.wasClean = init.wasClean ?? false;
    }
  }
  Object.assign(globalThis, { CloseEvent: CloseEventPolyfill });
}

export function newClient(url: string, token?: string): Client4 {
  const client = new Client4();
  client.setUrl(url);
  if (token) client.setToken(token);
  return client;
}

/** The official WebSocketClient with `ws` injected as its socket constructor. */
export function newWebSocketClient(
  config: Partial<ConstructorParameters<typeof WebSocketClient>[0]> = {},
): WebSocketClient {
  return new WebSocketClient({
    newWebSocketFn: (url: string) => new WebSocket(url) as unknown as globalThis.WebSocket,
    ...config,
  });
}

/** The WebSocket URL of a Mattermost base URL. */
export function websocketUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/api/v4/websocket`;
}

/** What the official WebSocketClient says on the console about every connect, close and gap. */
const CLIENT_CHATTER =
  /^(websocket |got connection id|ping received|missed websocket event|long timeout|network (online|offline))/;
let quieted = false;

/**
 * Drops the official WebSocketClient's console narration (a line per connect and close of each of
 * thousands of simulated users) while leaving every other console.log alone. The harness records
 * the same facts as metrics. Idempotent.
 */
export function quietWebSocketClientLogs(): void {
  if (quieted) return;
  quieted = true;
  const original = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    const first = args[0];
    if (typeof first === 'string' && CLIENT_CHATTER.test(first)) return;
    // It also logs socket error events and failed replies as bare objects.
    if (args.length === 1 && typeof first === 'object' && first !== null) {
      if ('seq_reply' in first) return;
      if (first instanceof Event || (first as { type?: unknown }).type === 'error') return;
    }
    original(...args);
  };
}
