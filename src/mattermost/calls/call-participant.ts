import { performance } from 'node:perf_hooks';
import type { IceServer, RtpSender } from '@roamhq/wrtc';
import { type Counter, METRIC, type Metrics, type Trend } from '../../metrics/api.js';
import type { FrameClock } from './frame-clock.js';
import { Microphone, Screen } from './local-media.js';
import { type MediaSnapshot, mediaInterval, mediaSnapshot } from './media-stats.js';
import { estimateMos } from './mos.js';
import { PeerSession } from './peer-session.js';
import { RemoteMedia } from './remote-media.js';
import { parseSignal, trackSession } from './signal-frames.js';
import { type CallsEvent, SignalingClient } from './signaling-client.js';

// One simulated Calls participant: its own WebSocket, a peer connection to the SFU, what it
// sends (speech, a screen), what it receives (counted per speaker), and the measurements
// (join times, RTT, jitter, loss, bitrate, MOS) recorded as it goes. It survives WebSocket
// drops with `reconnect` and joins again when the server says the session is gone.

export interface CallParticipantOptions {
  baseUrl: string;
  token: string;
  channelId: string;
  /** The call's label in metric tags (c0, c1…) and this participant's (c0p1). */
  call: string;
  label: string;
  iceServers: IceServer[];
  /** TURN only (`iceTransportPolicy: 'relay'`). */
  relayOnly: boolean;
  metrics: Metrics;
  clock: FrameClock;
  /** Maps a remote session id to the label of the participant that owns it. */
  sessionLabel(sessionId: string): string | undefined;
  /** Called with this participant's session id whenever it (re)joins. */
  onSession?(sessionId: string): void;
  /** Called when media comes up (true) or goes away (false). */
  onMedia?(up: boolean): void;
  statsIntervalMs?: number;
  joinTimeoutMs?: number;
  screenFps?: number;
  /** Voice pitch factor: speakers sound different. */
  pitch?: number;
  log?(line: string): void;
}

type State = 'idle' | 'joining' | 'joined' | 'down' | 'rejoining' | 'left';

/** How long a `reconnect` may take to be refused before silence counts as accepted. */
const RECONNECT_ANSWER_MS = 3_000;

export class CallParticipant {
  private readonly signaling: SignalingClient;
  private peer: PeerSession | null = null;
  private remote: RemoteMedia | null = null;
  private mic: Microphone | null = null;
  private screen: Screen | null = null;
  /** The audio sender, once the track was added (unmute later only swaps the track). */
  private audioSender: RtpSender | null = null;
  private state: State = 'idle';
  private sessionId = '';
  private wantsAudio = false;
  private wantsScreen = false;
  private mediaUp = false;
  private sessionLost = false;
  private ack: { resolve(): void; reject(e: Error): void } | null = null;
  /** Set while a `reconnect` awaits the server's (error-only) answer. */
  private reconnectTimer: NodeJS.Timeout | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  private lastStats: MediaSnapshot | null = null;
  private readonly trend: Record<'ice' | 'join' | 'rtt' | 'jitter' | 'loss' | 'in' | 'out' | 'mos', Trend>;
  private readonly count: Record<'failed' | 'renegotiations' | 'reconnects' | 'rejoins' | 'packets', Counter>;
  private readonly tags: { call: string };

  constructor(private readonly options: CallParticipantOptions) {
    const m = options.metrics;
    this.tags = { call: options.call };
    this.trend = {
      ice: m.trend(METRIC.callsJoinIceTime),
      join: m.trend(METRIC.callsJoinTime),
      rtt: m.trend(METRIC.callsRtt),
      jitter: m.trend(METRIC.callsJitter),
      loss: m.trend(METRIC.callsPacketLoss),
      in: m.trend(METRIC.callsBitrateIn),
      out: m.trend(METRIC.callsBitrateOut),
      mos: m.trend(METRIC.callsMos),
    };
    this.count = {
      failed: m.counter(METRIC.callsFailedJoins),
      renegotiations: m.counter(METRIC.callsRenegotiations),
      reconnects: m.counter(METRIC.callsReconnects),
      rejoins: m.counter(METRIC.callsRejoins),
      packets: m.counter(METRIC.callsAudioPackets),
    };
    this.signaling = new SignalingClient(
      { baseUrl: options.baseUrl, token: options.token },
      {
        onEvent: (event) => this.onEvent(event),
        onDown: () => {
          if (this.state === 'joined') this.state = 'down';
        },
        onReconnected: (ids) => this.onReconnected(ids.prevConnID),
        onGaveUp: () => this.options.log?.(`${options.label}: signaling gave up reconnecting`),
      },
    );
  }

  get label(): string {
    return this.options.label;
  }
  get joined(): boolean {
    return this.state === 'joined';
  }
  get session(): string {
    return this.sessionId;
  }
  /** Packets received so far from each speaker label (tests, the bench). */
  audioPacketsBySpeaker(): ReadonlyMap<string, number> {
    return this.remote?.packetsBySpeaker ?? new Map();
  }

  /** Joins the call; resolves once ICE is connected. A failure is counted and thrown. */
  async join(): Promise<void> {
    const started = performance.now();
    this.state = 'joining';
    try {
      if (!this.signaling.isOpen) await this.signaling.connect();
      const acked = new Promise<void>((resolve, reject) => {
        this.ack = { resolve, reject };
      });
      this.signaling.send('join', { channelID: this.options.channelId });
      await withTimeout(acked, this.options.joinTimeoutMs ?? 15_000, 'no join ack');
      this.sessionId = this.signaling.originalConnectionId;
      this.options.onSession?.(this.sessionId);
      await withTimeout(this.startPeer(started), this.options.joinTimeoutMs ?? 15_000, 'ICE did not connect');
      this.state = 'joined';
      if (this.wantsAudio) await this.unmute();
      if (this.wantsScreen) await this.screenOn();
    } catch (error) {
      const reason = (error as Error).message.startsWith('ICE') ? 'ice' : 'signaling';
      this.count.failed.add(1, { ...this.tags, reason });
      this.teardownPeer();
      this.state = 'idle';
      throw error;
    } finally {
      this.ack = null;
    }
  }

  /** Unmutes: the first time adds the audio track (a new offer), later re-attaches it. */
  async unmute(): Promise<void> {
    this.wantsAudio = true;
    if (!this.peer || this.state !== 'joined') return;
    this.mic ??= new Microphone(this.options.clock, this.options.pitch ?? 1);
    if (this.audioSender) await this.audioSender.replaceTrack(this.mic.track);
    else this.audioSender = this.peer.pc.addTrack(this.mic.track, this.mic.stream);
    this.mic.start();
    this.signaling.send('unmute');
  }

  async mute(): Promise<void> {
    this.wantsAudio = false;
    this.mic?.stop();
    await this.audioSender?.replaceTrack(null);
    this.signaling.send('mute');
  }

  /** Starts a screen share: announce the stream id, add a send-only video track. */
  async screenOn(): Promise<void> {
    this.wantsScreen = true;
    if (!this.peer || this.state !== 'joined' || this.screen) return;
    this.screen = new Screen(this.options.screenFps ?? 3);
    this.signaling.send('screen_on', { data: JSON.stringify({ screenStreamID: this.screen.stream.id }) });
    this.peer.pc.addTransceiver(this.screen.track, { direction: 'sendonly', streams: [this.screen.stream] });
    this.screen.start();
  }

  async screenOff(): Promise<void> {
    this.wantsScreen = false;
    if (!this.screen) return;
    const screen = this.screen;
    this.screen = null;
    const transceiver = this.peer?.pc.getTransceivers().find((t) => t.sender.track?.id === screen.track.id);
    await transceiver?.sender.replaceTrack(null);
    screen.close();
    this.signaling.send('screen_off');
  }

  raiseHand(raised = true): void {
    this.signaling.send(raised ? 'raise_hand' : 'unraise_hand');
  }

  /** Simulates a network drop of the signaling path (tests; drills use the proxy instead). */
  dropSignalingForTest(holdMs = 0): void {
    this.signaling.dropForTest(holdMs);
  }

  /** Leaves the call and releases everything; safe to call twice. */
  async leave(): Promise<void> {
    if (this.state === 'left') return;
    const wasIn = this.state === 'joined' || this.state === 'down';
    this.state = 'left';
    if (wasIn) this.signaling.send('leave');
    this.teardownPeer();
    this.mic?.close();
    this.screen?.close();
    this.mic = null;
    this.screen = null;
    // Let the leave frame go out before the socket closes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.signaling.close();
  }

  private startPeer(started: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const label = this.options.label;
      this.remote = new RemoteMedia({
        metrics: this.options.metrics,
        call: this.options.call,
        speakerOf: (trackId, streamId) =>
          this.options.sessionLabel(streamId) ??
          this.options.sessionLabel(trackSession(trackId) ?? '') ??
          'unknown',
        onFirstAudio: () => this.trend.join.add(performance.now() - started, this.tags),
      });
      this.audioSender = null;
      this.peer = new PeerSession(
        {
          iceServers: this.options.iceServers,
          ...(this.options.relayOnly && { iceTransportPolicy: 'relay' as const }),
        },
        {
          sendSdp: (description) => this.signaling.sendSdp(description),
          sendIce: (candidate) => this.signaling.send('ice', { data: JSON.stringify(candidate) }),
          onIceConnected: () => {
            this.trend.ice.add(performance.now() - started, this.tags);
            this.setMedia(true);
            this.startStats();
            resolve();
          },
          onIceState: (state) => {
            if (state === 'failed') {
              this.setMedia(false);
              reject(new Error('ICE failed'));
            }
          },
          onTrack: (event) => this.remote?.attach(event),
          onRenegotiation: () => this.count.renegotiations.add(1, this.tags),
          onError: (error) => this.options.log?.(`${label}: negotiation: ${error.message}`),
        },
      );
    });
  }

  private onEvent(event: CallsEvent): void {
    switch (event.name) {
      case 'join':
        this.ack?.resolve();
        return;
      case 'error': {
        const message = String(event.data.data ?? 'error');
        if (this.ack) this.ack.reject(new Error(`join refused: ${message}`));
        else if (this.state === 'joined' || this.state === 'down')
          void this.rejoin(`${this.reconnectTimer ? 'reconnect refused' : 'server error'}: ${message}`);
        return;
      }
      case 'signal':
        try {
          this.peer?.signal(parseSignal(String(event.data.data)));
        } catch (error) {
          this.options.log?.(`${this.options.label}: bad signal: ${(error as Error).message}`);
        }
        return;
      case 'user_left':
        if (event.data.session_id === this.sessionId && this.sessionId !== '') {
          // The server tore our session down (the reconnect came too late). While our
          // `reconnect` awaits its answer, wait for that error: joining now would take it for
          // a refusal of the new join.
          if (this.signaling.isOpen && this.state === 'joined' && !this.reconnectTimer)
            void this.rejoin('session torn down');
          else this.sessionLost = true;
        }
        return;
    }
  }

  private onReconnected(prevConnID: string): void {
    if (this.state === 'left' || this.state === 'idle') return;
    if (this.sessionLost) {
      void this.rejoin('session torn down while disconnected');
      return;
    }
    this.state = 'joined';
    this.signaling.send('reconnect', {
      channelID: this.options.channelId,
      originalConnID: this.sessionId,
      prevConnID,
    });
    this.count.reconnects.add(1, this.tags);
    // Success has no answer; an error (session gone) comes at once. After this long, silence
    // means accepted — unless the session was reported gone meanwhile.
    this.clearReconnectTimer();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.sessionLost && this.state === 'joined') void this.rejoin('session torn down');
    }, RECONNECT_ANSWER_MS);
    this.reconnectTimer.unref();
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private async rejoin(reason: string): Promise<void> {
    if (this.state === 'rejoining' || this.state === 'left') return;
    this.state = 'rejoining';
    this.sessionLost = false;
    this.clearReconnectTimer();
    this.count.rejoins.add(1, this.tags);
    this.options.log?.(`${this.options.label}: rejoining (${reason})`);
    this.teardownPeer();
    this.signaling.restartSession();
    try {
      await this.join();
    } catch (error) {
      this.options.log?.(`${this.options.label}: rejoin failed: ${(error as Error).message}`);
    }
  }

  private startStats(): void {
    if (this.statsTimer) return;
    this.lastStats = null;
    this.statsTimer = setInterval(() => void this.pollStats(), this.options.statsIntervalMs ?? 2_000);
    this.statsTimer.unref();
  }

  private async pollStats(): Promise<void> {
    const peer = this.peer;
    if (!peer || this.state === 'left') return;
    const snapshot = mediaSnapshot(await peer.stats(), performance.now());
    if (peer !== this.peer) return;
    const interval = mediaInterval(this.lastStats, snapshot);
    const first = this.lastStats === null;
    this.lastStats = snapshot;
    for (const t of interval.tracks) {
      if (t.kind !== 'audio' || t.packets === 0) continue;
      const speaker = this.remote?.speakerOfTrack(t.track) ?? 'unknown';
      this.count.packets.add(t.packets, { ...this.tags, listener: this.options.label, speaker });
      this.remote?.addPackets(speaker, t.packets);
    }
    if (first) return; // rates need two reports
    if (interval.rttMs !== null) this.trend.rtt.add(interval.rttMs, this.tags);
    this.trend.in.add(interval.bitrateInKbps, this.tags);
    this.trend.out.add(interval.bitrateOutKbps, this.tags);
    if (interval.jitterMs === null) return; // no inbound audio: nothing to judge
    this.trend.jitter.add(interval.jitterMs, this.tags);
    const lossPercent = interval.lossPercent ?? 0;
    this.trend.loss.add(lossPercent, this.tags);
    this.trend.mos.add(
      estimateMos({ rttMs: interval.rttMs ?? 0, jitterMs: interval.jitterMs, lossPercent }),
      this.tags,
    );
  }

  private setMedia(up: boolean): void {
    if (this.mediaUp === up) return;
    this.mediaUp = up;
    this.options.onMedia?.(up);
  }

  private teardownPeer(): void {
    this.clearReconnectTimer();
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.setMedia(false);
    this.mic?.stop();
    this.screen?.close();
    this.screen = null;
    this.remote?.close();
    this.remote = null;
    this.peer?.close();
    this.peer = null;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
