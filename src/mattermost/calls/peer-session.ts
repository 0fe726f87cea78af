import type {
  IceCandidateInit,
  PeerConnection,
  PeerConnectionConfig,
  SessionDescriptionInit,
  StatsEntry,
  TrackEvent,
} from '@roamhq/wrtc';
import type { SignalMessage } from './signal-frames.js';
import { wrtc } from './wrtc.js';

// One media session with the SFU: the RTCPeerConnection, its `calls-dc` data channel, and the
// perfect-negotiation dance where the client is the polite peer (a server offer that collides
// with ours wins: we roll back, answer, and libwebrtc asks to offer again).

export interface PeerSessionHandlers {
  sendSdp(description: SessionDescriptionInit): void;
  sendIce(candidate: IceCandidateInit): void;
  onIceConnected(): void;
  onIceState(state: string): void;
  onTrack(event: TrackEvent): void;
  /** The server sent an offer and we answered it. */
  onRenegotiation(): void;
  onError(error: Error): void;
}

export class PeerSession {
  readonly pc: PeerConnection;
  private makingOffer = false;
  private queue: Promise<void> = Promise.resolve();
  private pendingCandidates: IceCandidateInit[] = [];
  private connected = false;
  /** Candidates that arrive before the first remote description wait for it. */
  private remoteSet = false;
  private closed = false;

  constructor(
    config: PeerConnectionConfig,
    private readonly handlers: PeerSessionHandlers,
  ) {
    this.pc = new (wrtc().RTCPeerConnection)(config);
    this.pc.onicecandidate = ({ candidate }) => {
      if (!candidate?.candidate) return;
      handlers.sendIce({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? null,
        sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      });
    };
    this.pc.oniceconnectionstatechange = () => {
      const state = this.pc.iceConnectionState;
      handlers.onIceState(state);
      if (!this.connected && (state === 'connected' || state === 'completed')) {
        this.connected = true;
        handlers.onIceConnected();
      }
    };
    this.pc.ontrack = (event) => handlers.onTrack(event);
    this.pc.onnegotiationneeded = () => this.enqueue(() => this.offer());
    // The data channel is what triggers the first offer (as in the Calls client).
    this.pc.createDataChannel('calls-dc');
  }

  /** Handles a `signal` from the server, in arrival order. */
  signal(message: SignalMessage): void {
    this.enqueue(() => this.apply(message));
  }

  async stats(): Promise<StatsEntry[]> {
    const report = await this.pc.getStats();
    const entries: StatsEntry[] = [];
    report.forEach((e) => {
      entries.push(e);
    });
    return entries;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.oniceconnectionstatechange = null;
    this.pc.ontrack = null;
    this.pc.onnegotiationneeded = null;
    this.pc.close();
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.closed ? undefined : step()))
      .catch((error: unknown) => {
        if (!this.closed) this.handlers.onError(error instanceof Error ? error : new Error(String(error)));
      });
  }

  private async offer(): Promise<void> {
    if (this.pc.signalingState !== 'stable') return; // the answer's arrival re-checks via negotiationneeded
    this.makingOffer = true;
    try {
      const offer = await this.pc.createOffer();
      if (this.pc.signalingState !== 'stable') return;
      await this.pc.setLocalDescription(offer);
      this.handlers.sendSdp({ type: 'offer', sdp: offer.sdp ?? '' });
    } finally {
      this.makingOffer = false;
    }
  }

  private async apply(message: SignalMessage): Promise<void> {
    switch (message.type) {
      case 'offer': {
        const collision = this.makingOffer || this.pc.signalingState !== 'stable';
        if (collision) await this.pc.setLocalDescription({ type: 'rollback' });
        await this.pc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
        await this.flushCandidates();
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        this.handlers.sendSdp({ type: 'answer', sdp: answer.sdp ?? '' });
        this.handlers.onRenegotiation();
        return;
      }
      case 'answer':
        if (this.pc.signalingState !== 'have-local-offer') return; // a stale answer after a rollback
        await this.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        await this.flushCandidates();
        return;
      case 'candidate':
        if (this.pc.signalingState === 'closed') return;
        if (!this.remoteSet) {
          this.pendingCandidates.push(message.candidate);
          return;
        }
        await this.pc.addIceCandidate(message.candidate).catch(() => undefined);
        return;
    }
  }

  private async flushCandidates(): Promise<void> {
    this.remoteSet = true;
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of pending) await this.pc.addIceCandidate(c).catch(() => undefined);
  }
}
