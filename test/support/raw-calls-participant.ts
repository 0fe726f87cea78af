// A minimal Calls participant for the double's own tests: a raw `ws` WebSocket speaking the
// Calls signaling by hand (docs/calls.md) and a libwebrtc peer. Deliberately independent of the
// harness's participants in src/, so the double is checked against the contract, not against
// the code that also implements it.
import { deflateSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import type {
  IceCandidateInit,
  MediaStreamTrack,
  PeerConnection,
  PeerConnectionConfig,
  SessionDescriptionInit,
} from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import { wrtc } from '../../testbed/rtcd/wrtc.js';

const PREFIX = 'custom_com.mattermost.calls_';

export interface CallsEvent {
  event: string;
  data: Record<string, unknown>;
  broadcast: Record<string, unknown>;
  seq: number;
}

export class RawCallsParticipant {
  ws: WebSocket | null = null;
  connID = '';
  originalConnID = '';
  readonly events: CallsEvent[] = [];
  pc: PeerConnection | null = null;
  /** Remote track id → sending session id (the stream id the SFU uses). */
  readonly trackOwners = new Map<string, string>();
  readonly signalErrors: string[] = [];
  private signals: Promise<void> = Promise.resolve();
  private seq = 1;
  private audioTimer: NodeJS.Timeout | null = null;
  private screenTimer: NodeJS.Timeout | null = null;
  private audioTrack: MediaStreamTrack | null = null;

  constructor(
    readonly name: string,
    private readonly token: string,
  ) {}

  /** Opens a Mattermost WebSocket on `url` and waits for its hello. */
  async connect(url: string): Promise<string> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v4/websocket`, {
      headers: { Authorization: `Bearer ${this.token}` },
    });
    this.ws = ws;
    this.seq = 1;
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(raw.toString()) as CallsEvent;
      if (!msg.event) return;
      this.events.push(msg);
      if (msg.event === 'hello') this.connID = String(msg.data.connection_id);
      if (msg.event === `${PREFIX}signal`) {
        const data = String(msg.data.data);
        this.signals = this.signals
          .then(() => this.onSignal(data))
          .catch((err: Error) => void this.signalErrors.push(err.message));
      }
    });
    ws.on('error', () => undefined);
    const hello = this.events.length;
    await this.waitFor(() => this.events.slice(hello).some((e) => e.event === 'hello'), 10_000, 'hello');
    this.originalConnID ||= this.connID;
    return this.connID;
  }

  send(action: string, data: Record<string, unknown> = {}): void {
    this.ws?.send(JSON.stringify({ action: PREFIX + action, seq: this.seq++, data }));
  }

  sendSdp(desc: SessionDescriptionInit): void {
    const packed = deflateSync(Buffer.from(JSON.stringify({ type: desc.type, sdp: desc.sdp })));
    this.ws?.send(
      encode({ action: `${PREFIX}sdp`, seq: this.seq++, data: { data: new Uint8Array(packed) } }),
    );
  }

  /** join → `join` event → peer connection with `calls-dc` (+ an audio track if speaking) → offer. */
  async join(
    channelID: string,
    { speak = false, pcConfig = {} }: { speak?: boolean; pcConfig?: PeerConnectionConfig } = {},
  ): Promise<void> {
    const since = this.events.length;
    this.send('join', { channelID });
    await this.waitFor(
      () => this.eventsOf('join', since).length > 0 || this.eventsOf('error', since).length > 0,
      10_000,
      'join',
    );
    const error = this.eventsOf('error', since)[0];
    if (error) throw new Error(`join refused: ${String(error.data.data)}`);
    const w = wrtc();
    const pc = new w.RTCPeerConnection(pcConfig);
    this.pc = pc;
    pc.createDataChannel('calls-dc');
    pc.onicecandidate = (e) => {
      if (!e.candidate?.candidate) return;
      const c: IceCandidateInit = {
        candidate: e.candidate.candidate,
        sdpMid: e.candidate.sdpMid ?? null,
        sdpMLineIndex: e.candidate.sdpMLineIndex ?? null,
      };
      this.send('ice', { data: JSON.stringify(c) });
    };
    pc.ontrack = (e) => {
      const owner = e.streams[0]?.id;
      if (owner) this.trackOwners.set(e.track.id, owner);
    };
    if (speak) this.startSpeaking(pc);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.sendSdp(offer);
  }

  eventsOf(name: string, since = 0): CallsEvent[] {
    const full = name === 'hello' ? name : PREFIX + name;
    return this.events.slice(since).filter((e) => e.event === full);
  }

  /** Packets received so far (audio by default), by sending session id. */
  async packetsBySender(kind: 'audio' | 'video' = 'audio'): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const stats = await this.pc?.getStats();
    stats?.forEach((r) => {
      if (r.type !== 'inbound-rtp' || r.kind !== kind) return;
      const owner = this.trackOwners.get(String(r.trackIdentifier)) ?? 'unknown';
      out.set(owner, (out.get(owner) ?? 0) + Number(r.packetsReceived ?? 0));
    });
    return out;
  }

  /** Round-trip time (s) of the selected ICE candidate pair, and the local candidate's type. */
  async selectedPair(): Promise<{ rtt: number; localType: string; relayProtocol: string }> {
    const stats = await this.pc?.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    let pairLocal = '';
    let rtt = Number.NaN;
    stats?.forEach((r) => {
      byId.set(r.id, r);
      if (r.type === 'candidate-pair' && r.state === 'succeeded' && r.nominated) {
        pairLocal = String(r.localCandidateId);
        rtt = Number(r.currentRoundTripTime ?? Number.NaN);
      }
    });
    const local = byId.get(pairLocal);
    return {
      rtt,
      localType: String(local?.candidateType ?? ''),
      relayProtocol: String(local?.relayProtocol ?? ''),
    };
  }

  /** Cuts the socket without a close handshake, as a network drop does. */
  drop(): void {
    this.ws?.terminate();
    this.ws = null;
  }

  async reconnect(url: string, channelID: string): Promise<void> {
    const prevConnID = this.connID;
    await this.connect(url);
    this.send('reconnect', { channelID, originalConnID: this.originalConnID, prevConnID });
  }

  close(): void {
    if (this.audioTimer) clearInterval(this.audioTimer);
    if (this.screenTimer) clearInterval(this.screenTimer);
    this.audioTrack?.stop();
    this.pc?.close();
    this.ws?.terminate();
  }

  async waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${this.name}: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** screen_on, then a 5 fps VP8 video track in the announced stream, offered by the client. */
  async shareScreen(): Promise<void> {
    const pc = this.pc;
    if (!pc) throw new Error(`${this.name}: not in a call`);
    const w = wrtc();
    const source = new w.nonstandard.RTCVideoSource({ isScreencast: true });
    const track = source.createTrack();
    const streamID = `${this.name}-screen`;
    this.send('screen_on', { data: JSON.stringify({ screenStreamID: streamID }) });
    pc.addTrack(track, new w.MediaStream({ id: streamID }));
    const width = 320;
    const height = 180;
    const data = new Uint8Array((width * height * 3) / 2);
    let frame = 0;
    this.screenTimer = setInterval(() => {
      data.fill(frame++ % 255, 0, width * height);
      source.onFrame({ width, height, data });
    }, 200);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.sendSdp(offer);
  }

  private startSpeaking(pc: PeerConnection): void {
    const w = wrtc();
    const source = new w.nonstandard.RTCAudioSource();
    const track = source.createTrack();
    this.audioTrack = track;
    pc.addTrack(track, new w.MediaStream({ id: `${this.name}-mic` }));
    let phase = 0;
    const samples = new Int16Array(480);
    this.audioTimer = setInterval(() => {
      for (let i = 0; i < samples.length; i++) {
        samples[i] = Math.round(8000 * Math.sin(phase));
        phase += (2 * Math.PI * 440) / 48_000;
      }
      source.onData({ samples, sampleRate: 48_000 });
    }, 10);
  }

  /** The polite peer: answers the SFU's offers (rolling back its own), applies answers and candidates. */
  private async onSignal(data: string): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const msg = JSON.parse(data) as { type: string; sdp?: string; candidate?: IceCandidateInit };
    if (msg.type === 'candidate' && msg.candidate) {
      await pc.addIceCandidate(msg.candidate);
    } else if (msg.type === 'answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
    } else if (msg.type === 'offer') {
      if (pc.signalingState !== 'stable') await pc.setLocalDescription({ type: 'rollback' });
      await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.sendSdp(answer);
    }
  }
}
