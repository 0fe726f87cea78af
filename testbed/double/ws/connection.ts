import { WebSocket } from 'ws';
import type { WsEvent } from '../model/types.js';
import { ReplayBuffer } from './replay-buffer.js';

// Mattermost drops a connection whose send queue is full; beyond this many unsent bytes the
// socket is cut and the client must resume (replay) or refetch.
const MAX_BUFFERED_BYTES = 4 << 20;

/**
 * One logical WebSocket connection (Mattermost's WebConn): its id, seq counter, replay buffer
 * and membership sets outlive the socket for the resume window.
 */
export class WebConnection {
  socket: WebSocket | null = null;
  nextSeq = 0;
  deadSince = 0;
  readonly channels = new Set<string>();
  readonly teams = new Set<string>();
  private readonly buffer: ReplayBuffer;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly token: string,
    replayCapacity: number,
  ) {
    this.buffer = new ReplayBuffer(replayCapacity);
  }

  get active(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Mattermost's shouldSendEvent: explicit omissions and targets, then channel/team membership. */
  wants(event: WsEvent): boolean {
    const b = event.broadcast;
    if (b.omit_users?.[this.userId]) return false;
    if (b.omit_connection_id && b.omit_connection_id === this.id) return false;
    if (b.connection_id) return b.connection_id === this.id;
    if (b.user_id) return b.user_id === this.userId;
    if (b.channel_id) return this.channels.has(b.channel_id);
    if (b.team_id) return this.teams.has(b.team_id);
    return true;
  }

  /** Assigns the next seq, keeps the frame for replay, and writes it if the socket is open. */
  send(head: string): void {
    const seq = this.nextSeq++;
    const frame = `${head}${seq}}`;
    this.buffer.push(seq, frame);
    this.write(frame);
  }

  write(frame: string): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.terminate();
      return;
    }
    socket.send(frame);
  }

  replayFrom(seq: number): string[] | null {
    return this.buffer.from(seq, this.nextSeq);
  }
}

/** An event serialized once up to its seq, so fan-out only appends the per-connection number. */
export function frameHead(event: WsEvent): string {
  return `{"event":${JSON.stringify(event.event)},"data":${JSON.stringify(event.data)},"broadcast":${JSON.stringify(event.broadcast)},"seq":`;
}
