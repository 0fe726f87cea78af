import { createRequire } from 'node:module';

// @roamhq/wrtc (libwebrtc for Node) ships types that lean on the DOM library, which this
// project does not compile against. These are the parts mmdrill uses, typed here, and the
// module loaded once through them.

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface PeerConnectionConfig {
  iceServers: IceServer[];
  iceTransportPolicy?: 'all' | 'relay';
}

export interface SessionDescriptionInit {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp?: string;
}

export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export interface MediaStreamTrack {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  enabled: boolean;
  stop(): void;
}

export interface MediaStream {
  readonly id: string;
  getTracks(): MediaStreamTrack[];
}

export interface RtpSender {
  readonly track: MediaStreamTrack | null;
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
}

export interface RtpTransceiver {
  readonly mid: string | null;
  readonly sender: RtpSender;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  stop(): void;
}

export interface TrackEvent {
  readonly track: MediaStreamTrack;
  readonly streams: MediaStream[];
  readonly transceiver: RtpTransceiver;
}

export interface DataChannel {
  readonly label: string;
  readonly readyState: 'connecting' | 'open' | 'closing' | 'closed';
  close(): void;
}

/** One stats entry: `type` and `id` always, the rest depends on the type (W3C webrtc-stats). */
export interface StatsEntry {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly [field: string]: unknown;
}

export interface StatsReport {
  forEach(fn: (entry: StatsEntry) => void): void;
}

export type IceConnectionState =
  | 'new'
  | 'checking'
  | 'connected'
  | 'completed'
  | 'failed'
  | 'disconnected'
  | 'closed';
export type SignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';

export interface PeerConnection {
  readonly iceConnectionState: IceConnectionState;
  readonly connectionState: string;
  readonly signalingState: SignalingState;
  readonly localDescription: SessionDescriptionInit | null;
  onicecandidate:
    | ((event: { candidate: (IceCandidateInit & { toJSON?(): IceCandidateInit }) | null }) => void)
    | null;
  oniceconnectionstatechange: (() => void) | null;
  onnegotiationneeded: (() => void) | null;
  ontrack: ((event: TrackEvent) => void) | null;
  createDataChannel(label: string): DataChannel;
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RtpSender;
  addTransceiver(
    trackOrKind: MediaStreamTrack | 'audio' | 'video',
    init?: { direction?: RtpTransceiver['direction']; streams?: MediaStream[] },
  ): RtpTransceiver;
  getTransceivers(): RtpTransceiver[];
  createOffer(): Promise<SessionDescriptionInit>;
  createAnswer(): Promise<SessionDescriptionInit>;
  setLocalDescription(description?: SessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: SessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: IceCandidateInit): Promise<void>;
  getStats(): Promise<StatsReport>;
  close(): void;
}

export interface AudioData {
  samples: Int16Array;
  sampleRate: number;
  bitsPerSample?: number;
  channelCount?: number;
  numberOfFrames?: number;
}

export interface AudioSource {
  createTrack(): MediaStreamTrack;
  onData(data: AudioData): void;
}

export interface AudioSink {
  ondata: ((data: AudioData) => void) | null;
  stop(): void;
}

export interface VideoFrame {
  width: number;
  height: number;
  /** I420: width*height luma bytes, then two quarter-size chroma planes. */
  data: Uint8Array;
}

export interface VideoSource {
  createTrack(): MediaStreamTrack;
  onFrame(frame: VideoFrame): void;
}

export interface VideoSink {
  onframe: ((event: { frame: VideoFrame }) => void) | null;
  stop(): void;
}

export interface Wrtc {
  RTCPeerConnection: new (config: PeerConnectionConfig) => PeerConnection;
  MediaStream: new (tracks?: MediaStreamTrack[]) => MediaStream;
  nonstandard: {
    RTCAudioSource: new () => AudioSource;
    RTCAudioSink: new (track: MediaStreamTrack) => AudioSink;
    RTCVideoSource: new (init?: { isScreencast?: boolean }) => VideoSource;
    RTCVideoSink: new (track: MediaStreamTrack) => VideoSink;
  };
}

let loaded: Wrtc | undefined;

/** The native module, loaded on first use (runs without Calls never pay for it). */
export function wrtc(): Wrtc {
  if (loaded === undefined) {
    loaded = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;
    // A natural exit frees the environment and runs wrtc's finalizers, which crash (SIGSEGV:
    // "Check failed: node->IsInUse()") and lose the exit code; an explicit exit skips that.
    process.once('exit', (code) => process.exit(code));
  }
  return loaded;
}
