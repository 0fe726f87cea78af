import type { AudioSink, TrackEvent, VideoSink } from '@roamhq/wrtc';
import { type Counter, METRIC, type Metrics } from '../../metrics/api.js';
import { rmsLevel, SILENCE_RMS } from './speech-signal.js';
import { wrtc } from './wrtc.js';

// What a participant receives from the SFU: each forwarded audio track played into a sink that
// tells sound from silence (the first sound ends the join), each screen track into a sink that
// counts decoded frames, and which speaker every track belongs to.

export interface RemoteMediaOptions {
  metrics: Metrics;
  call: string;
  /** The label of the participant who sends a track (its stream id is the sending session). */
  speakerOf(trackId: string, streamId: string): string;
  onFirstAudio(): void;
}

export class RemoteMedia {
  readonly packetsBySpeaker = new Map<string, number>();
  private readonly speakers = new Map<string, string>();
  private readonly sinks: (AudioSink | VideoSink)[] = [];
  private readonly heard: Counter;
  private readonly screenFrames: Counter;
  private heardAny = false;
  private closed = false;

  constructor(private readonly options: RemoteMediaOptions) {
    this.heard = options.metrics.counter(METRIC.callsAudioHeard);
    this.screenFrames = options.metrics.counter(METRIC.callsScreenFrames);
  }

  attach(event: TrackEvent): void {
    if (this.closed) return;
    const { track } = event;
    const streamId = event.streams[0]?.id ?? '';
    this.speakers.set(track.id, this.options.speakerOf(track.id, streamId));
    const tags = { call: this.options.call };
    if (track.kind === 'audio') {
      const sink = new (wrtc().nonstandard.RTCAudioSink)(track);
      sink.ondata = (data) => {
        if (rmsLevel(data.samples) < SILENCE_RMS) return;
        this.heard.add(1, tags);
        if (!this.heardAny) {
          this.heardAny = true;
          this.options.onFirstAudio();
        }
      };
      this.sinks.push(sink);
    } else {
      const sink = new (wrtc().nonstandard.RTCVideoSink)(track);
      sink.onframe = () => this.screenFrames.add(1, tags);
      this.sinks.push(sink);
    }
  }

  speakerOfTrack(trackId: string): string | undefined {
    return this.speakers.get(trackId);
  }

  addPackets(speaker: string, packets: number): void {
    this.packetsBySpeaker.set(speaker, (this.packetsBySpeaker.get(speaker) ?? 0) + packets);
  }

  close(): void {
    this.closed = true;
    for (const sink of this.sinks) {
      if ('ondata' in sink) sink.ondata = null;
      else sink.onframe = null;
      sink.stop();
    }
    this.sinks.length = 0;
  }
}
