import type {
  IceCandidateInit,
  MediaStreamTrack,
  PeerConnection,
  PeerConnectionConfig,
  RtpSender,
  SessionDescriptionInit,
} from '@roamhq/wrtc';
import { candidateAddress, wrtc } from './wrtc.js';

/** A track this session sends to the SFU, as forwarded to the others. */
export interface InboundTrack {
  track: MediaStreamTrack;
  kind: 'audio' | 'video';
}

export interface SessionHooks {
  /** WebRTC signaling (JSON text) to send to this session's client. */
  signal(session: RtcSession, data: string): void;
  /** The client sent a track: forward it to the others. */
  track(session: RtcSession, inbound: InboundTrack): void;
  /** The first offer/answer exchange finished: the session can now receive forwarded tracks. */
  ready(session: RtcSession): void;
  /** The peer connection failed or closed on its own. */
  failed(session: RtcSession): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export interface SessionIdentity {
  sessionID: string;
  userID: string;
  channelID: string;
  callID: string;
}

/**
 * One participant's media session on the SFU: one RTCPeerConnection, answered to the client's
 * first offer, then renegotiated by server offers whenever forwarded tracks change. The server is
 * the impolite peer: a client offer that collides with an outstanding server offer is ignored.
 */
export class RtcSession {
  readonly pc: PeerConnection;
  readonly joinAt = Date.now();
  /** The connection currently carrying this session's signaling, and its app-node link. */
  connID: string;
  linkId = 0;
  unmuted = false;
  raisedHand = 0;
  screenStreamID = '';
  reconnectTimer: NodeJS.Timeout | null = null;
  closed = false;
  readonly inbound: InboundTrack[] = [];
  /** Senders of tracks forwarded to this session, by `${fromSessionID}/${trackID}`. */
  private readonly forwarded = new Map<string, RtpSender>();
  private queue: Promise<void> = Promise.resolve();
  private readonly pendingCandidates: IceCandidateInit[] = [];
  private negotiated = false;
  private needsOffer = false;
  renegotiations = 0;

  constructor(
    readonly id: SessionIdentity,
    connID: string,
    config: PeerConnectionConfig,
    private readonly iceAddress: string,
    private readonly hooks: SessionHooks,
  ) {
    this.connID = connID;
    this.pc = new (wrtc().RTCPeerConnection)(config);
    this.pc.onicecandidate = (e) => {
      const c = e.candidate;
      if (!c?.candidate || candidateAddress(c.candidate) !== this.iceAddress) return;
      const candidate: IceCandidateInit = {
        candidate: c.candidate,
        sdpMid: c.sdpMid ?? null,
        sdpMLineIndex: c.sdpMLineIndex ?? null,
      };
      if (c.usernameFragment) candidate.usernameFragment = c.usernameFragment;
      this.hooks.signal(this, JSON.stringify({ type: 'candidate', candidate }));
    };
    this.pc.ontrack = (e) => {
      const inbound: InboundTrack = { track: e.track, kind: e.track.kind };
      this.inbound.push(inbound);
      this.hooks.track(this, inbound);
    };
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      if (state === 'failed' && !this.closed) this.hooks.failed(this);
    };
  }

  get sessionID(): string {
    return this.id.sessionID;
  }

  /** An SDP from the client (`{type, sdp}`). */
  handleSdp(desc: SessionDescriptionInit): void {
    this.enqueue(async () => {
      if (desc.type === 'offer') {
        if (this.pc.signalingState !== 'stable') {
          this.hooks.log('glare: client offer ignored (server offer outstanding)', {
            session: this.sessionID,
          });
          return;
        }
        await this.pc.setRemoteDescription(desc);
        await this.flushCandidates();
        const answer = await this.pc.createAnswer();
        await this.pc.setLocalDescription(answer);
        this.hooks.signal(this, JSON.stringify({ type: 'answer', sdp: answer.sdp }));
        if (!this.negotiated) {
          this.negotiated = true;
          this.hooks.ready(this);
        }
      } else if (desc.type === 'answer') {
        if (this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription(desc);
        await this.flushCandidates();
      }
      await this.offerIfNeeded();
    });
  }

  /** A trickled candidate from the client; only loopback (host or relay) candidates are used. */
  handleCandidate(candidate: IceCandidateInit): void {
    if (candidate.candidate && candidateAddress(candidate.candidate) !== this.iceAddress) return;
    this.enqueue(async () => {
      if (!this.pc.remoteDescription) {
        this.pendingCandidates.push(candidate);
        return;
      }
      await this.pc.addIceCandidate(candidate);
    });
  }

  /** Forwards another session's track to this one (server offer follows). */
  forward(from: RtcSession, inbound: InboundTrack): void {
    const key = `${from.sessionID}/${inbound.track.id}`;
    if (this.closed || this.forwarded.has(key)) return;
    const stream = new (wrtc().MediaStream)({ id: from.sessionID });
    this.forwarded.set(key, this.pc.addTrack(inbound.track, stream));
    this.requestOffer();
  }

  /** Stops forwarding everything that came from `from` (it left). */
  unforward(from: RtcSession): void {
    let removed = false;
    for (const [key, sender] of this.forwarded) {
      if (!key.startsWith(`${from.sessionID}/`)) continue;
      this.forwarded.delete(key);
      if (!this.closed) this.pc.removeTrack(sender);
      removed = true;
    }
    if (removed) this.requestOffer();
  }

  get forwardedCount(): number {
    return this.forwarded.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  private requestOffer(): void {
    this.needsOffer = true;
    this.enqueue(() => this.offerIfNeeded());
  }

  private async offerIfNeeded(): Promise<void> {
    if (!this.needsOffer || !this.negotiated || this.closed || this.pc.signalingState !== 'stable') return;
    this.needsOffer = false;
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    this.renegotiations++;
    this.hooks.signal(this, JSON.stringify({ type: 'offer', sdp: offer.sdp }));
  }

  private async flushCandidates(): Promise<void> {
    for (const c of this.pendingCandidates.splice(0)) await this.pc.addIceCandidate(c);
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.closed ? undefined : step()))
      .catch((err: unknown) =>
        this.hooks.log('negotiation step failed', {
          session: this.sessionID,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
  }
}
