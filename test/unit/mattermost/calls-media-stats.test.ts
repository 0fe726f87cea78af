import type { StatsEntry } from '@roamhq/wrtc';
import { describe, expect, test } from 'vitest';
import { mediaInterval, mediaSnapshot } from '../../../src/mattermost/calls/media-stats.js';

// getStats() → the figures mmdrill records. Entries are shaped as libwebrtc (@roamhq/wrtc)
// reports them: cumulative counters, jitter and RTT in seconds.

const entry = (type: string, id: string, fields: Record<string, unknown>): StatsEntry => ({
  type,
  id,
  timestamp: 0,
  ...fields,
});

function report(
  packets: { a: number; b: number },
  lost: { a: number; b: number },
  bytes: number,
): StatsEntry[] {
  return [
    entry('transport', 'T', { selectedCandidatePairId: 'P1' }),
    entry('candidate-pair', 'P0', { nominated: false, currentRoundTripTime: 0.5 }),
    entry('candidate-pair', 'P1', { nominated: true, currentRoundTripTime: 0.012 }),
    entry('remote-inbound-rtp', 'R', { roundTripTime: 0.3 }),
    entry('inbound-rtp', 'IA', {
      kind: 'audio',
      trackIdentifier: 'sessA',
      packetsReceived: packets.a,
      packetsLost: lost.a,
      bytesReceived: packets.a * 100,
      jitter: 0.004,
    }),
    entry('inbound-rtp', 'IB', {
      kind: 'audio',
      trackIdentifier: 'sessB',
      packetsReceived: packets.b,
      packetsLost: lost.b,
      bytesReceived: packets.b * 100,
      jitter: 0.002,
    }),
    entry('inbound-rtp', 'IV', {
      kind: 'video',
      trackIdentifier: 'screen',
      packetsReceived: 7,
      framesDecoded: 5,
    }),
    entry('outbound-rtp', 'O', { bytesSent: bytes }),
  ];
}

describe('getStats extraction', () => {
  test('RTT from the selected candidate pair, not another pair or RTCP', () => {
    const snap = mediaSnapshot(report({ a: 10, b: 10 }, { a: 0, b: 0 }, 0), 0);
    expect(snap.rttMs).toBeCloseTo(12, 6);
    expect(snap.inbound.map((t) => [t.track, t.kind])).toEqual([
      ['sessA', 'audio'],
      ['sessB', 'audio'],
      ['screen', 'video'],
    ]);
  });

  test('RTCP round trip when no candidate pair reports one', () => {
    const entries = report({ a: 1, b: 1 }, { a: 0, b: 0 }, 0).filter((e) => e.type !== 'candidate-pair');
    expect(mediaSnapshot(entries, 0).rttMs).toBeCloseTo(300, 6);
  });

  test('interval: per-track packet deltas, loss over all audio, mean jitter, bitrates', () => {
    const prev = mediaSnapshot(report({ a: 100, b: 50 }, { a: 0, b: 0 }, 10_000), 1_000);
    const cur = mediaSnapshot(report({ a: 200, b: 146 }, { a: 2, b: 2 }, 35_000), 3_000);
    const interval = mediaInterval(prev, cur);
    expect(interval.tracks.find((t) => t.track === 'sessA')?.packets).toBe(100);
    expect(interval.tracks.find((t) => t.track === 'sessB')?.packets).toBe(96);
    // 4 lost of 196 received + 4 lost = 2 %
    expect(interval.lossPercent).toBeCloseTo(2, 6);
    expect(interval.jitterMs).toBeCloseTo(3, 6);
    // 25 000 bytes over 2 s = 100 kbit/s out; 196 packets · 100 bytes over 2 s = 78.4 kbit/s in
    expect(interval.bitrateOutKbps).toBeCloseTo(100, 6);
    expect(interval.bitrateInKbps).toBeCloseTo(78.4, 6);
  });

  test('the first report gives counts but no rates; counters going back count as 0', () => {
    const first = mediaInterval(null, mediaSnapshot(report({ a: 30, b: 0 }, { a: 0, b: 0 }, 500), 0));
    expect(first.tracks.find((t) => t.track === 'sessA')?.packets).toBe(30);
    expect(first.bitrateInKbps).toBe(0);
    const prev = mediaSnapshot(report({ a: 30, b: 0 }, { a: 5, b: 0 }, 500), 0);
    const reset = mediaInterval(prev, mediaSnapshot(report({ a: 10, b: 0 }, { a: 0, b: 0 }, 100), 1_000));
    expect(reset.tracks.find((t) => t.track === 'sessA')).toMatchObject({ packets: 0, lost: 0 });
    expect(reset.bitrateOutKbps).toBe(0);
  });

  test('no inbound audio: no jitter and no loss to judge', () => {
    const only = (e: StatsEntry) => e.type !== 'inbound-rtp' || e.kind === 'video';
    const prev = mediaSnapshot(report({ a: 0, b: 0 }, { a: 0, b: 0 }, 0).filter(only), 0);
    const cur = mediaSnapshot(report({ a: 0, b: 0 }, { a: 0, b: 0 }, 100).filter(only), 1_000);
    const interval = mediaInterval(prev, cur);
    expect(interval.jitterMs).toBeNull();
    expect(interval.lossPercent).toBeNull();
  });
});
