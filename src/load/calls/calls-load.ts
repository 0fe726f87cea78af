import type { IceServer } from '@roamhq/wrtc';
import { forEachBounded } from '../../common/bounded-parallel.js';
import { parseDuration } from '../../config/duration.js';
import { CallParticipant } from '../../mattermost/calls/call-participant.js';
import {
  createChannel,
  fetchIceServers,
  joinChannel,
  login,
  logout,
} from '../../mattermost/calls/calls-rest.js';
import { FrameClock } from '../../mattermost/calls/frame-clock.js';
import { METRIC, type Metrics } from '../../metrics/api.js';
import type { SeedCredentials } from '../../seed/credentials.js';
import { type CallsSection, callsLengthMs } from './calls-schema.js';
import { callLabel, type PlannedParticipant, participantLabel, planParticipants } from './join-schedule.js';

// The Calls piece of a run: seeded users log in, each call gets its own new channel, the
// participants join staggered over the join window, speak and share as planned, and all leave
// when the calls end (or the run stops) — peers are always closed.

export interface CallsLoadOptions {
  section: CallsSection;
  baseUrl: string;
  credentials: SeedCredentials;
  /** First seeded account the calls use (after the other scenarios' VUs). */
  userOffset: number;
  metrics: Metrics;
  /** Makes channel names unique per run. */
  runTag: string;
  log(line: string): void;
}

interface Member {
  plan: PlannedParticipant;
  token: string;
  userId: string;
  participant?: CallParticipant;
}

const LOGIN_PARALLELISM = 8;

export class CallsLoad {
  private readonly plan: PlannedParticipant[];
  private readonly members: Member[] = [];
  private readonly sessions = new Map<string, string>();
  private readonly clock = new FrameClock();
  private readonly channels = new Map<number, string>();
  private iceServers: IceServer[] = [];
  private connected = 0;

  constructor(private readonly options: CallsLoadOptions) {
    const s = options.section;
    this.plan = planParticipants({
      count: s.count,
      participantsPerCall: s.participantsPerCall,
      speakersPerCall: s.speakersPerCall,
      screenSharersPerCall: s.screenSharersPerCall,
      joinWindowMs: parseDuration(s.joinWindow),
    });
  }

  /** Seeded accounts the calls need. */
  get users(): number {
    return this.plan.length;
  }

  maxDurationMs(): number {
    return callsLengthMs(this.options.section);
  }

  /** Logs everybody in and makes one channel per call with its participants as members. */
  async prepare(signal: AbortSignal): Promise<void> {
    const { credentials, userOffset, baseUrl } = this.options;
    if (credentials.users.length < userOffset + this.plan.length)
      throw new Error(
        `calls need ${this.plan.length} seeded users after the ${userOffset} the other scenarios use; the seed has ${credentials.users.length}`,
      );
    const team = credentials.teams[0];
    if (!team) throw new Error('the seed has no team to hold the calls channels');
    const sorted = [...this.plan].sort((a, b) => a.user - b.user);
    await forEachBounded(
      sorted,
      LOGIN_PARALLELISM,
      async (plan) => {
        const account = credentials.users[userOffset + plan.user]!;
        const { token, userId } = await login(baseUrl, account.username, account.password);
        this.members.push({ plan, token, userId });
      },
      signal,
    );
    const first = this.members[0]!;
    const iceServers = await fetchIceServers(baseUrl, first.token);
    this.iceServers = iceServers;
    if (
      this.options.section.media === 'turn' &&
      !iceServers.some((s) => JSON.stringify(s.urls).includes('turn'))
    )
      throw new Error('media: turn, but the Calls config lists no TURN server (ICEServersConfigs)');
    for (let call = 0; call < this.options.section.count; call++) {
      const inCall = this.members.filter((m) => m.plan.call === call);
      const owner = inCall.find((m) => m.plan.index === 0)!;
      const channelId = await createChannel(
        baseUrl,
        owner.token,
        team.id,
        `mmdrill-call-${this.options.runTag}-${call}`,
      );
      this.channels.set(call, channelId);
      await forEachBounded(
        inCall,
        LOGIN_PARALLELISM,
        (m) => joinChannel(baseUrl, m.token, channelId, m.userId),
        signal,
      );
    }
  }

  /** Joins on schedule, holds the calls for their duration, then everybody leaves. */
  async run(signal: AbortSignal): Promise<void> {
    const s = this.options.section;
    const startMs = parseDuration(s.startTime);
    const endAt = performance.now() + this.maxDurationMs();
    const sleep = abortableSleeper(signal);
    const gauge = this.options.metrics.gauge(METRIC.callsParticipants);
    gauge.set(0);
    let firstError = true;
    const joins = this.members.map(async (member) => {
      await sleep(startMs + member.plan.joinAtMs);
      if (signal.aborted) return;
      const participant = this.participantFor(member, (up) => {
        this.connected += up ? 1 : -1;
        gauge.set(this.connected);
      });
      member.participant = participant;
      try {
        await participant.join();
      } catch (error) {
        if (firstError)
          this.options.log(
            `calls: ${participantLabel(member.plan)} could not join: ${(error as Error).message}`,
          );
        firstError = false;
      }
    });
    await Promise.all(joins);
    await sleep(endAt - performance.now());
    await this.leaveAll();
  }

  /** Leaves every call and logs out (the end of a run, or an abort). Safe to call twice. */
  async close(): Promise<void> {
    await this.leaveAll();
    await Promise.all(this.members.map((m) => logout(this.options.baseUrl, m.token)));
    this.clock.stop();
  }

  /** The participants, for tests and the bench. */
  participants(): CallParticipant[] {
    return this.members.flatMap((m) => (m.participant ? [m.participant] : []));
  }

  private async leaveAll(): Promise<void> {
    await Promise.all(this.members.map((m) => m.participant?.leave()));
  }

  private participantFor(member: Member, onMedia: (up: boolean) => void): CallParticipant {
    const s = this.options.section;
    const label = participantLabel(member.plan);
    const participant = new CallParticipant({
      baseUrl: this.options.baseUrl,
      token: member.token,
      channelId: this.channels.get(member.plan.call)!,
      call: callLabel(member.plan.call),
      label,
      iceServers: this.iceServers,
      relayOnly: s.media === 'turn',
      metrics: this.options.metrics,
      clock: this.clock,
      sessionLabel: (sessionId) => this.sessions.get(sessionId),
      onSession: (sessionId) => this.sessions.set(sessionId, label),
      onMedia,
      statsIntervalMs: parseDuration(s.statsInterval),
      screenFps: s.screenFps,
      pitch: 0.8 + 0.15 * member.plan.index,
      log: this.options.log,
    });
    if (member.plan.speaks) void participant.unmute();
    if (member.plan.sharesScreen) void participant.screenOn();
    return participant;
  }
}

/** A sleep every waiter of a run shares one abort listener for (there is one per participant). */
function abortableSleeper(signal: AbortSignal): (ms: number) => Promise<void> {
  const timers = new Set<NodeJS.Timeout>();
  const wakers = new Set<() => void>();
  signal.addEventListener(
    'abort',
    () => {
      for (const t of timers) clearTimeout(t);
      for (const wake of wakers) wake();
    },
    { once: true },
  );
  return (ms) => {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        timers.delete(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timers.add(timer);
      wakers.add(wake);
    });
  };
}
