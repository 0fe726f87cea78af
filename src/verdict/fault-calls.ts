import type { FaultVerdict } from '../summary/summary-schema.js';
import type { CallsSecond, SecondObservation } from './fault-observations.js';

// What a fault did to the calls running through it. The HTTP verdict cannot see it: a cut
// WebSocket leaves media flowing (it goes straight to the media server), and what matters is
// whether participants reconnected inside the plugin's reconnect window (sessions kept) or
// were torn down and had to join again — and whether everyone has media again afterwards.

export type CallsFaultVerdict = NonNullable<FaultVerdict['calls']>;

/**
 * The calls part of a fault's verdict, from the seconds before the fault, those of the fault
 * itself, and those of the fault and its recovery (`span`); null when the run had no calls.
 */
export function judgeCalls(
  before: readonly SecondObservation[],
  during: readonly SecondObservation[],
  span: readonly SecondObservation[],
): CallsFaultVerdict | null {
  const seconds = span.filter((s) => s.calls !== undefined);
  if (seconds.length === 0) return null;
  const last = before.filter((s) => s.calls !== undefined).at(-1);
  const participantsBefore = last?.calls?.participants ?? seconds[0]!.calls!.participants;
  const participantsAfter = seconds.at(-1)!.calls!.participants;
  const reconnects = seconds.reduce((n, s) => n + s.calls!.reconnects, 0);
  const rejoins = seconds.reduce((n, s) => n + s.calls!.rejoins, 0);
  const secondsWithoutAudio =
    participantsBefore === 0 ? 0 : seconds.filter((s) => s.calls!.audioPackets === 0).length;
  const outcome: CallsFaultVerdict['outcome'] =
    participantsAfter < participantsBefore
      ? 'lost'
      : rejoins > 0
        ? 'rejoined'
        : reconnects > 0
          ? 'kept'
          : 'unaffected';
  const recent = before.slice(-BASELINE_SECONDS);
  return {
    outcome,
    participantsBefore,
    participantsAfter,
    reconnects,
    rejoins,
    secondsWithoutAudio,
    media: {
      mosBefore: meanOf(recent, (c) => c.mosP50),
      mosDuring: meanOf(during, (c) => c.mosP50),
      jitterBeforeMs: meanOf(recent, (c) => c.jitterP95Ms),
      jitterDuringMs: meanOf(during, (c) => c.jitterP95Ms),
      lossBeforePct: meanOf(recent, (c) => c.lossP95),
      lossDuringPct: meanOf(during, (c) => c.lossP95),
    },
  };
}

const BASELINE_SECONDS = 10;

function meanOf(seconds: readonly SecondObservation[], of: (c: CallsSecond) => number | null): number | null {
  const values = seconds.flatMap((s) => {
    const value = s.calls ? of(s.calls) : null;
    return value === null ? [] : [value];
  });
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
}

/** The clause the fault's reason gets. */
export function describeCalls(calls: CallsFaultVerdict): string {
  return `${describeSessions(calls)}${describeMedia(calls.media)}`;
}

function describeMedia(media: CallsFaultVerdict['media']): string {
  const { mosBefore, mosDuring } = media;
  if (mosBefore === null || mosDuring === null || Math.abs(mosBefore - mosDuring) < 0.1) return '';
  return `; MOS ${mosBefore.toFixed(2)} before, ${mosDuring.toFixed(2)} during`;
}

function describeSessions(calls: CallsFaultVerdict): string {
  const back = `${calls.participantsAfter} of ${calls.participantsBefore} participant(s) with media afterwards`;
  const silence = calls.secondsWithoutAudio > 0 ? `, ${calls.secondsWithoutAudio} s without audio` : '';
  switch (calls.outcome) {
    case 'unaffected':
      return `calls unaffected (${back})`;
    case 'kept':
      return `calls: ${calls.reconnects} reconnect(s), media sessions kept${silence} (${back})`;
    case 'rejoined':
      return `calls: sessions torn down and rejoined (${calls.rejoins} rejoin(s), ${calls.reconnects} reconnect(s))${silence} (${back})`;
    case 'lost':
      return `calls: participants lost — ${back}`;
  }
}
