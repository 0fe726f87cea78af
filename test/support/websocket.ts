import type { WebSocketMessage } from '@mattermost/client/lib/websocket_message.js';
import { WebSocket } from 'ws';
import { WebSocketClient } from './mattermost.js';

export interface ProbeOptions {
  /** Reconnect delay of the official client; tests cut sockets and act inside this gap. */
  retryMs?: number;
}

/**
 * A WebSocketClient (the official one, with `ws` injected) plus what tests need to observe it:
 * every event received, every hello, and a handle on the current socket to cut it.
 */
export class WebSocketProbe {
  readonly client: WebSocketClient;
  readonly events: WebSocketMessage[] = [];
  readonly hellos: string[] = [];
  readonly urls: string[] = [];
  closes = 0;
  missedCallbacks = 0;
  private socket: WebSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
    options: ProbeOptions = {},
  ) {
    this.client = new WebSocketClient({
      minWebSocketRetryTime: options.retryMs ?? 3_000,
      reconnectJitterRange: 0,
      newWebSocketFn: (socketUrl: string) => {
        this.urls.push(socketUrl);
        this.socket = new WebSocket(socketUrl);
        return this.socket as unknown as globalThis.WebSocket;
      },
    });
    this.client.addMessageListener((msg) => {
      this.events.push(msg);
      if (msg.event === 'hello')
        this.hellos.push(String((msg.data as { connection_id: string }).connection_id));
    });
    this.client.addCloseListener(() => {
      this.closes += 1;
    });
    this.client.addMissedMessageListener(() => {
      this.missedCallbacks += 1;
    });
  }

  /** Connects and resolves once the hello arrived. */
  async connect(timeoutMs = 10_000): Promise<this> {
    const wsUrl = `${this.url.replace(/^http/, 'ws')}/api/v4/websocket`;
    this.client.initialize(wsUrl, this.token);
    await this.waitFor(() => this.hellos.length > 0, timeoutMs, 'hello');
    return this;
  }

  /** Counts protocol-level ping frames from the server over `ms`. */
  async countProtocolPings(ms: number): Promise<number> {
    const socket = this.socket;
    if (!socket) return 0;
    let pings = 0;
    const onPing = () => {
      pings += 1;
    };
    socket.on('ping', onPing);
    await new Promise((r) => setTimeout(r, ms));
    socket.off('ping', onPing);
    return pings;
  }

  /** Drops the TCP connection under the client, as a network failure would. */
  cut(): void {
    this.socket?.terminate();
  }

  eventsOf(type: string): WebSocketMessage[] {
    return this.events.filter((e) => e.event === type);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends an action and resolves with the server's reply. */
  request(
    action: string,
    data: unknown,
  ): Promise<{ status: string; seq_reply: number; data?: unknown; error?: unknown }> {
    return new Promise((resolve) => this.client.sendMessage(action, data, resolve));
  }

  close(): void {
    this.client.close();
  }
}
