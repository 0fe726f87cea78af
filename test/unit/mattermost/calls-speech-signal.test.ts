import { describe, expect, test } from 'vitest';
import {
  FRAME_SAMPLES,
  rmsLevel,
  SILENCE_RMS,
  SpeechSignal,
} from '../../../src/mattermost/calls/speech-signal.js';

// The speakers' generated signal must look like speech to a listener's silence detector: sound
// in phrases, true silence in the pauses between them, and different voices per speaker.

describe('speech-like signal', () => {
  test('phrases of sound with pauses of silence (2.4 s + 0.8 s)', () => {
    const signal = new SpeechSignal();
    const levels = Array.from({ length: 320 }, () => rmsLevel(signal.next())); // 3.2 s of 10 ms frames
    const loud = levels.filter((l) => l >= SILENCE_RMS).length;
    const silent = levels.slice(240).filter((l) => l === 0).length;
    expect(loud).toBeGreaterThan(180); // most of the phrase (syllable troughs are quiet)
    expect(silent).toBe(80); // the whole pause
    expect(Math.max(...levels)).toBeLessThan(0.5); // no clipping
  });

  test('frames of 480 samples, and speakers differ', () => {
    const a = new SpeechSignal(1);
    const b = new SpeechSignal(1.3);
    for (let i = 0; i < 20; i++) {
      a.next();
      b.next();
    }
    const fa = Int16Array.from(a.next());
    const fb = Int16Array.from(b.next());
    expect(fa).toHaveLength(FRAME_SAMPLES);
    expect(fa).not.toEqual(fb);
  });
});
