// Typed access to @roamhq/wrtc (libwebrtc for Node). The package's own declarations re-export
// DOM types this project does not load (lib is ES2023 only), so the testbed declares the small
// surface it uses and loads the CommonJS module through createRequire.
import { createRequire } from 'node:module';

export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export interface SessionDescriptionInit {
  type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  sdp?: string;
}

export interface MediaStreamTrack {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  readonly readyState: 'live' | 'ended';
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

export interface RtpReceiver {
  readonly track: MediaStreamTrack;
}

export interface RtpTransceiver {
  readonly mid: string | null;
  readonly sender: RtpSender;
  readonly receiver: RtpReceiver;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';
}

export interface TrackEvent {
  readonly track: MediaStreamTrack;
  readonly streams: MediaStream[];
  readonly transceiver: RtpTransceiver;
}

export interface IceCandidate extends IceCandidateInit {
  readonly address?: string | null;
  readonly type?: string | null;
}

export interface StatsReport {
  forEach(cb: (value: Record<string, unknown> & { type: string; id: string }) => void): void;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface PeerConnectionConfig {
  iceServers?: IceServer[];
  iceTransportPolicy?: 'all' | 'relay';
  bundlePolicy?: 'balanced' | 'max-bundle' | 'max-compat';
}

export interface DataChannel {
  readonly label: string;
  readonly readyState: string;
  close(): void;
}

export interface PeerConnection {
  readonly signalingState: 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed' | string;
  readonly connectionState: 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
  readonly iceConnectionState: string;
  readonly remoteDescription: SessionDescriptionInit | null;
  onicecandidate: ((e: { candidate: IceCandidate | null }) => void) | null;
  ontrack: ((e: TrackEvent) => void) | null;
  onconnectionstatechange: (() => void) | null;
  ondatachannel: ((e: { channel: DataChannel }) => void) | null;
  onnegotiationneeded: (() => void) | null;
  createOffer(): Promise<SessionDescriptionInit>;
  createAnswer(): Promise<SessionDescriptionInit>;
  setLocalDescription(d: SessionDescriptionInit): Promise<void>;
  setRemoteDescription(d: SessionDescriptionInit): Promise<void>;
  addIceCandidate(c: IceCandidateInit): Promise<void>;
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RtpSender;
  removeTrack(sender: RtpSender): void;
  getSenders(): RtpSender[];
  getTransceivers(): RtpTransceiver[];
  createDataChannel(label: string): DataChannel;
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

export interface VideoFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface VideoSource {
  createTrack(): MediaStreamTrack;
  onFrame(frame: VideoFrame): void;
}

export interface Wrtc {
  RTCPeerConnection: new (config?: PeerConnectionConfig) => PeerConnection;
  MediaStream: new (init?: { id: string } | MediaStreamTrack[]) => MediaStream;
  nonstandard: {
    RTCAudioSource: new () => AudioSource;
    RTCVideoSource: new (init?: { isScreencast?: boolean }) => VideoSource;
  };
}

const require = createRequire(import.meta.url);

/** The loaded native module (loaded on first use: it is a large shared library). */
let loaded: Wrtc | null = null;
export function wrtc(): Wrtc {
  loaded ??= require('@roamhq/wrtc') as Wrtc;
  return loaded;
}

/** The address inside an ICE candidate line (`candidate:… <proto> <prio> <address> <port> typ …`). */
export function candidateAddress(candidate: string): string {
  return candidate.split(' ')[4] ?? '';
}
