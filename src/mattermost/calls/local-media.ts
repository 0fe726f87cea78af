import type { MediaStream, MediaStreamTrack } from '@roamhq/wrtc';
import type { FrameClock } from './frame-clock.js';
import { ScreenFrames } from './screen-frames.js';
import { FRAME_SAMPLES, SAMPLE_RATE, SpeechSignal } from './speech-signal.js';
import { wrtc } from './wrtc.js';

// What a participant sends: a microphone that speaks the generated speech signal while
// unmuted, and a screen that shows changing frames at a screen-share frame rate.

export class Microphone {
  readonly track: MediaStreamTrack;
  readonly stream: MediaStream;
  private readonly source = new (wrtc().nonstandard.RTCAudioSource)();
  private readonly signal: SpeechSignal;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly clock: FrameClock,
    pitch: number,
  ) {
    this.signal = new SpeechSignal(pitch);
    this.track = this.source.createTrack();
    this.stream = new (wrtc().MediaStream)([this.track]);
  }

  get live(): boolean {
    return this.unsubscribe !== null;
  }

  start(): void {
    this.unsubscribe ??= this.clock.subscribe(() =>
      this.source.onData({
        samples: this.signal.next(),
        sampleRate: SAMPLE_RATE,
        bitsPerSample: 16,
        channelCount: 1,
        numberOfFrames: FRAME_SAMPLES,
      }),
    );
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  close(): void {
    this.stop();
    this.track.stop();
  }
}

export class Screen {
  readonly track: MediaStreamTrack;
  readonly stream: MediaStream;
  private readonly source = new (wrtc().nonstandard.RTCVideoSource)({ isScreencast: true });
  private readonly frames = new ScreenFrames();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly fps: number) {
    this.track = this.source.createTrack();
    this.stream = new (wrtc().MediaStream)([this.track]);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.source.onFrame(this.frames.next()), Math.round(1000 / this.fps));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stop();
    this.track.stop();
  }
}
