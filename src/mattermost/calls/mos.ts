// An estimated MOS (mean opinion score, 1..4.5) from what getStats measures, by the simplified
// ITU-T G.107 E-model that VoIP monitors use:
//   effective latency  Le = RTT/2 + 2·jitter + 10 ms          (one way, jitter buffer, codec)
//   R = 93.2 − Le/40              if Le < 160 ms
//   R = 93.2 − (Le − 120)/10      otherwise
//   R −= 2.5 · loss%                                           (packet loss, in percent)
//   MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R), R clamped to 0..100
// It says how bad the network makes the call, not how good the codec sounds: with no loss and
// LAN latency it gives ≈ 4.4, the ceiling for narrowband-equivalent speech in this model.

export interface NetworkQuality {
  rttMs: number;
  jitterMs: number;
  /** 0..100 */
  lossPercent: number;
}

export function rFactor({ rttMs, jitterMs, lossPercent }: NetworkQuality): number {
  const latency = Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs) + 10;
  let r = latency < 160 ? 93.2 - latency / 40 : 93.2 - (latency - 120) / 10;
  r -= 2.5 * Math.min(100, Math.max(0, lossPercent));
  return Math.min(100, Math.max(0, r));
}

export function estimateMos(quality: NetworkQuality): number {
  const r = rFactor(quality);
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.min(4.5, Math.max(1, mos));
}
