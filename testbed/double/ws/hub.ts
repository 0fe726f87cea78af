import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WsEvent } from '../model/types.js';
import type { Services } from '../services.js';

// Placeholder: implemented in the WebSocket work.
export class WebSocketHub {
  constructor(readonly services: Services) {}
  handleUpgrade(_req: IncomingMessage, socket: Duplex, _head: Buffer): void {
    socket.destroy();
  }
  deliver(_event: WsEvent): void {}
  async close(): Promise<void> {}
}
