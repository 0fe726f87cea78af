// The parts of @roamhq/wrtc (libwebrtc for Node) that the harness's Calls participants
// (src/mattermost/calls/) and the test double's rtcd (testbed/rtcd/) use. The package's own
// declarations re-export DOM types, and this project compiles against ES2023 without the DOM
// library; declaring the module here, once, gives both programs one typing without either
// importing the other. Both load the CommonJS module lazily (`wrtc()`), so these are types only.
declare module '@roamhq/wrtc' {
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

  /** A gathered candidate, as `onicecandidate` hands it over. */
  export interface IceCandidate extends IceCandidateInit {
    readonly address?: string | null;
    readonly type?: string | null;
    toJSON?(): IceCandidateInit;
  }

  export interface MediaStreamTrack {
    readonly id: string;
    readonly kind: 'audio' | 'video';
    readonly readyState: 'live' | 'ended';
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

  export interface RtpReceiver {
    readonly track: MediaStreamTrack;
  }

  export interface RtpTransceiver {
    readonly mid: string | null;
    readonly sender: RtpSender;
    readonly receiver: RtpReceiver;
    direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';
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

  export type ConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

  export interface PeerConnection {
    readonly iceConnectionState: IceConnectionState;
    readonly connectionState: ConnectionState;
    readonly signalingState: SignalingState;
    readonly localDescription: SessionDescriptionInit | null;
    readonly remoteDescription: SessionDescriptionInit | null;
    onicecandidate: ((event: { candidate: IceCandidate | null }) => void) | null;
    oniceconnectionstatechange: (() => void) | null;
    onconnectionstatechange: (() => void) | null;
    onnegotiationneeded: (() => void) | null;
    ontrack: ((event: TrackEvent) => void) | null;
    ondatachannel: ((event: { channel: DataChannel }) => void) | null;
    createDataChannel(label: string): DataChannel;
    addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RtpSender;
    removeTrack(sender: RtpSender): void;
    addTransceiver(
      trackOrKind: MediaStreamTrack | 'audio' | 'video',
      init?: { direction?: RtpTransceiver['direction']; streams?: MediaStream[] },
    ): RtpTransceiver;
    getSenders(): RtpSender[];
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

  export const RTCPeerConnection: new (config?: PeerConnectionConfig) => PeerConnection;
  export const MediaStream: new (init?: { id: string } | MediaStreamTrack[]) => MediaStream;
  export const nonstandard: {
    RTCAudioSource: new () => AudioSource;
    RTCAudioSink: new (track: MediaStreamTrack) => AudioSink;
    RTCVideoSource: new (init?: { isScreencast?: boolean }) => VideoSource;
    RTCVideoSink: new (track: MediaStreamTrack) => VideoSink;
  };
}
