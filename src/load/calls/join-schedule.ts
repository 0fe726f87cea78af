// Who joins which call when, and does what: joins spread evenly over the join window,
// interleaved across calls (every call's first participant first, then every call's second…)
// so that all calls fill up together; the first participants of a call speak, the last shares
// its screen.

export interface PlannedParticipant {
  call: number;
  /** Position in its call (0 = the one that creates the channel). */
  index: number;
  /** Position among all participants: the seeded account used, after the offset. */
  user: number;
  /** When it joins, ms after the calls start. */
  joinAtMs: number;
  speaks: boolean;
  sharesScreen: boolean;
}

export interface CallsPlanInput {
  count: number;
  participantsPerCall: number;
  speakersPerCall: number;
  screenSharersPerCall: number;
  joinWindowMs: number;
}

export function planParticipants(input: CallsPlanInput): PlannedParticipant[] {
  const { count, participantsPerCall: per } = input;
  const total = count * per;
  const step = total > 1 ? input.joinWindowMs / total : 0;
  const out: PlannedParticipant[] = [];
  for (let index = 0; index < per; index++) {
    for (let call = 0; call < count; call++) {
      const order = index * count + call;
      out.push({
        call,
        index,
        user: call * per + index,
        joinAtMs: Math.round(order * step),
        speaks: index < input.speakersPerCall,
        sharesScreen: index >= per - input.screenSharersPerCall,
      });
    }
  }
  return out;
}

export function callLabel(call: number): string {
  return `c${call}`;
}

export function participantLabel(p: Pick<PlannedParticipant, 'call' | 'index'>): string {
  return `c${p.call}p${p.index}`;
}
