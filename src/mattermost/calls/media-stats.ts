import type { StatsEntry } from '@roamhq/wrtc';

// What a participant's getStats() report says about its media, reduced to the figures mmdrill
// records, and the per-poll deltas between two reports (counters in getStats are cumulative).

export interface InboundTrack {
  /** The remote track id (`trackIdentifier`), which names its sender. */
  track: string;
  kind: 'audio' | 'video';
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  /** Seconds, as getStats reports it. */
  jitterS: number;
  framesDecoded: number;
}

export interface MediaSnapshot {
  /** performance-style ms timestamp of the report. */
  at: number;
  /** Round trip of the selected candidate pair (or RTCP), ms; null before any measurement. */
  rttMs: number | null;
  inbound: InboundTrack[];
  bytesSent: number;
  bytesReceived: number;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function mediaSnapshot(entries: readonly StatsEntry[], at: number): MediaSnapshot {
  let pairRtt: number | null = null;
  let rtcpRtt: number | null = null;
  const inbound: InboundTrack[] = [];
  let bytesSent = 0;
  let bytesReceived = 0;
  const selectedPairs = new Set<string>();
  for (const e of entries) {
    if (e.type === 'transport' && typeof e.selectedCandidatePairId === 'string')
      selectedPairs.add(e.selectedCandidatePairId);
  }
  for (const e of entries) {
    switch (e.type) {
      case 'candidate-pair': {
        const selected = selectedPairs.size > 0 ? selectedPairs.has(e.id) : e.nominated === true;
        if (selected && typeof e.currentRoundTripTime === 'number') pairRtt = e.currentRoundTripTime * 1000;
        break;
      }
      case 'remote-inbound-rtp':
        if (typeof e.roundTripTime === 'number') rtcpRtt = Math.max(rtcpRtt ?? 0, e.roundTripTime * 1000);
        break;
      case 'inbound-rtp': {
        const kind = e.kind === 'video' || e.mediaType === 'video' ? 'video' : 'audio';
        inbound.push({
          track: typeof e.trackIdentifier === 'string' ? e.trackIdentifier : e.id,
          kind,
          packetsReceived: num(e.packetsReceived),
          packetsLost: Math.max(0, num(e.packetsLost)),
          bytesReceived: num(e.bytesReceived),
          jitterS: num(e.jitter),
          framesDecoded: num(e.framesDecoded),
        });
        bytesReceived += num(e.bytesReceived);
        break;
      }
      case 'outbound-rtp':
        bytesSent += num(e.bytesSent);
        break;
    }
  }
  return { at, rttMs: pairRtt ?? rtcpRtt, inbound, bytesSent, bytesReceived };
}

export interface TrackDelta {
  track: string;
  kind: 'audio' | 'video';
  packets: number;
  lost: number;
  frames: number;
}

export interface MediaInterval {
  rttMs: number | null;
  /** Mean jitter of the inbound audio streams, ms; null without any. */
  jitterMs: number | null;
  /** Audio packets lost / expected in this interval, percent; null when nothing was expected. */
  lossPercent: number | null;
  /** kbit/s over the interval. */
  bitrateInKbps: number;
  bitrateOutKbps: number;
  tracks: TrackDelta[];
}

/** The change from `prev` to `cur`; a stream new in `cur` counts from zero. */
export function mediaInterval(prev: MediaSnapshot | null, cur: MediaSnapshot): MediaInterval {
  const seconds = prev ? Math.max(0.001, (cur.at - prev.at) / 1000) : 0;
  const before = new Map(prev?.inbound.map((t) => [t.track, t]));
  const tracks: TrackDelta[] = [];
  let received = 0;
  let lost = 0;
  let jitterSum = 0;
  let audioStreams = 0;
  for (const t of cur.inbound) {
    const old = before.get(t.track);
    const delta: TrackDelta = {
      track: t.track,
      kind: t.kind,
      packets: Math.max(0, t.packetsReceived - (old?.packetsReceived ?? 0)),
      lost: Math.max(0, t.packetsLost - (old?.packetsLost ?? 0)),
      frames: Math.max(0, t.framesDecoded - (old?.framesDecoded ?? 0)),
    };
    tracks.push(delta);
    if (t.kind !== 'audio') continue;
    received += delta.packets;
    lost += delta.lost;
    jitterSum += t.jitterS * 1000;
    audioStreams++;
  }
  const kbps = (bytes: number) => (seconds > 0 ? (Math.max(0, bytes) * 8) / 1000 / seconds : 0);
  return {
    rttMs: cur.rttMs,
    jitterMs: audioStreams > 0 ? jitterSum / audioStreams : null,
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : null,
    bitrateInKbps: prev ? kbps(cur.bytesReceived - prev.bytesReceived) : 0,
    bitrateOutKbps: prev ? kbps(cur.bytesSent - prev.bytesSent) : 0,
    tracks,
  };
}
