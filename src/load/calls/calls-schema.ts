import { type Static, Type } from '@sinclair/typebox';
import { Duration, formatDuration, parseDuration } from '../../config/duration.js';
import type { ConfigIssue } from '../../config/load.js';
import { ClosedObject, StringEnum } from '../../config/schema-builders.js';

// The `calls:` section of a scenario file: how many Calls run at once, who is in them, and how
// media travels. Runs beside the file's other scenarios (messaging load) for its own duration.

export const CALLS_MEDIA = ['direct', 'turn'] as const;

export const CallsSectionSchema = ClosedObject(
  {
    count: Type.Integer({
      minimum: 1,
      maximum: 1_000,
      description: 'Calls held at once (one channel each).',
    }),
    participantsPerCall: Type.Integer({
      minimum: 1,
      maximum: 200,
      description: 'Participants in each call.',
    }),
    speakersPerCall: Type.Integer({
      minimum: 0,
      default: 1,
      description: 'Participants of each call who unmute and speak (a generated speech-like signal).',
    }),
    screenSharersPerCall: Type.Integer({
      minimum: 0,
      maximum: 1,
      default: 0,
      description: 'Participants of each call sharing a screen (Calls allows one share per call).',
    }),
    joinWindow: Duration({
      default: '10s',
      description: 'Joins are spread evenly over this window from the load start.',
    }),
    duration: Duration({ default: '60s', description: 'How long the calls last after the join window.' }),
    media: StringEnum(CALLS_MEDIA, {
      default: 'direct',
      description:
        'direct: ICE as the server offers it; turn: relay-only through the TURN servers of /config.',
    }),
    statsInterval: Duration({ default: '2s', description: 'How often each participant reads getStats().' }),
    screenFps: Type.Integer({ minimum: 1, maximum: 30, default: 3, description: 'Screen-share frame rate.' }),
    startTime: Duration({ default: '0s', description: 'Delay after the load start before the first join.' }),
  },
  { description: 'Mattermost Calls load: real WebRTC participants (see docs/calls.md).' },
);

export type CallsSection = Static<typeof CallsSectionSchema>;

/** How long the Calls load lasts: start delay, join window and the calls themselves. */
export function callsLengthMs(calls: CallsSection): number {
  return parseDuration(calls.startTime) + parseDuration(calls.joinWindow) + parseDuration(calls.duration);
}

/** `--duration` (and a drill's duration) for the calls: the whole Calls load lasts `totalMs`. */
export function withCallsLength(calls: CallsSection, totalMs: number): CallsSection {
  const before = parseDuration(calls.startTime) + parseDuration(calls.joinWindow);
  return { ...calls, duration: formatDuration(Math.max(1_000, totalMs - before)) };
}

/** Rules across fields, with paths under `calls`. */
export function callsIssues(calls: CallsSection): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (calls.speakersPerCall > calls.participantsPerCall)
    issues.push({
      path: ['calls', 'speakersPerCall'],
      message: `expected at most participantsPerCall (${calls.participantsPerCall}) speakers, got ${calls.speakersPerCall}`,
    });
  if (calls.screenSharersPerCall > calls.participantsPerCall)
    issues.push({
      path: ['calls', 'screenSharersPerCall'],
      message: `expected at most participantsPerCall (${calls.participantsPerCall}), got ${calls.screenSharersPerCall}`,
    });
  return issues;
}
