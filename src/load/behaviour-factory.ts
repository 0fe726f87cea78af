import { parseDuration } from '../config/duration.js';
import type { DeliveryTracker, MissedDelivery } from '../mattermost/delivery.js';
import type { Metrics } from '../metrics/api.js';
import { corpusSearchQueries } from '../seed/corpus/search-queries.js';
import type { SeedCredentials } from '../seed/credentials.js';
import type { StackDocument } from '../stack/stack-document.js';
import { ActionLoop } from './behaviours/action-loop.js';
import { UserModel } from './behaviours/user-model.js';
import { maxVusOf } from './executors/create-executor.js';
import type { ScenarioEntry, ScenarioFile } from './scenario.js';
import type { Behaviour } from './types.js';

/** A scenario's behaviour plus what the run reads from it afterwards. */
export interface RunBehaviour {
  behaviour: Behaviour;
  /** The most VUs the scenario can have (its share of the seeded accounts). */
  maxVus: number;
  /** Its delivery tracker (one per scenario: VU numbers are the scenario's own). */
  tracker(): DeliveryTracker;
  missedDeliveries(): readonly MissedDelivery[];
  acknowledgedPosts(): readonly string[];
}

export interface BehaviourContext {
  scenario: ScenarioFile;
  metrics: Metrics;
  stack: StackDocument;
  credentials: SeedCredentials | null;
  seed: string;
  /** First seeded account this scenario's VU 0 uses. */
  userOffset: number;
}

/** The seeded accounts rotated so that this scenario's VU 0 is account `offset`. */
function rotated(credentials: SeedCredentials | null, offset: number): SeedCredentials | undefined {
  if (!credentials || credentials.users.length === 0) return undefined;
  const at = offset % credentials.users.length;
  return { ...credentials, users: [...credentials.users.slice(at), ...credentials.users.slice(0, at)] };
}

export function createBehaviour(entry: ScenarioEntry, ctx: BehaviourContext): RunBehaviour {
  const model = ctx.scenario.userModel;
  const credentials = rotated(ctx.credentials, ctx.userOffset);
  // Post searches draw their query bands from the seeded data set's corpus (its name is the
  // corpus seed); computed once, before the load, only where a scenario may search posts.
  const searches =
    entry.exec === undefined ||
    entry.exec === 'user-model' ||
    entry.exec.actions.some((a) => a === 'search_posts' || a === 'search_posts_all_teams');
  const searchQueries = searches && ctx.credentials ? corpusSearchQueries(ctx.credentials.shape) : undefined;
  const common = {
    metrics: ctx.metrics,
    urls: [ctx.stack.url],
    ...(credentials && { credentials }),
    ...(searchQueries && { searchQueries }),
    seed: ctx.seed,
    fileUploads:
      ctx.stack.provider === 'existing' || ctx.stack.components.some((c) => c.kind === 'object-store'),
    ws: {
      minRetryMs: parseDuration(model.reconnect.minRetry),
      jitterMs: parseDuration(model.reconnect.jitter),
    },
  };
  const maxVus = maxVusOf(entry);
  if (entry.exec === undefined || entry.exec === 'user-model') {
    const behaviour = new UserModel({
      ...common,
      ...(typeof model.mix === 'string' ? { base: model.mix } : { weights: model.mix }),
      ...(model.only && { only: model.only }),
      idle: { minMs: parseDuration(model.idle.min), avgMs: parseDuration(model.idle.avg) },
      statusIntervalMs: parseDuration(model.statusInterval),
    });
    return wrap(behaviour, maxVus);
  }
  return wrap(new ActionLoop({ ...common, loop: entry.exec.actions }), maxVus);
}

function wrap(behaviour: UserModel | ActionLoop, maxVus: number): RunBehaviour {
  return {
    behaviour,
    maxVus,
    tracker: () => behaviour.deliveryTracker,
    missedDeliveries: () => behaviour.missedDeliveries(),
    acknowledgedPosts: () => behaviour.acknowledgedPosts(),
  };
}
