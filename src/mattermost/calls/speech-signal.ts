// A speech-like test signal for speakers: three formant-like tones (their pitch gliding a
// little) amplitude-modulated at a syllable rate (~4 Hz), in phrases of a few seconds with
// pauses between them. Opus then spends bits as on speech (voiced bursts, silence gaps)
// rather than on a steady tone, and listeners can tell sound from silence.

export const SAMPLE_RATE = 48_000;
/** 10 ms frames, the unit libwebrtc's audio source takes. */
export const FRAME_SAMPLES = 480;

const FORMANTS = [
  { hz: 220, gain: 0.5 },
  { hz: 720, gain: 0.3 },
  { hz: 1_240, gain: 0.2 },
] as const;
const SYLLABLE_HZ = 4;
const PHRASE_S = 2.4;
const PAUSE_S = 0.8;
const PEAK = 9_000;

export class SpeechSignal {
  private sample = 0;
  private readonly frame = new Int16Array(FRAME_SAMPLES);

  /** A different pitch per speaker, so listeners' streams differ. */
  constructor(private readonly pitch = 1) {}

  /** The next 10 ms (the same buffer, refilled: the source copies it at once). */
  next(): Int16Array {
    const cycle = PHRASE_S + PAUSE_S;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const t = (this.sample + i) / SAMPLE_RATE;
      const inPhrase = t % cycle < PHRASE_S;
      let value = 0;
      if (inPhrase) {
        const syllable = 0.5 - 0.5 * Math.cos(2 * Math.PI * SYLLABLE_HZ * t);
        const glide = 1 + 0.05 * Math.sin(2 * Math.PI * 0.7 * t);
        for (const f of FORMANTS) value += f.gain * Math.sin(2 * Math.PI * f.hz * this.pitch * glide * t);
        value *= syllable;
      }
      this.frame[i] = Math.round(value * PEAK);
    }
    this.sample += FRAME_SAMPLES;
    return this.frame;
  }
}

/** Root-mean-square level of 16-bit samples, 0..1. */
export function rmsLevel(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length) / 32_768;
}

/** Below this RMS level a decoded frame counts as silence (comfort noise, concealment). */
export const SILENCE_RMS = 0.005;
