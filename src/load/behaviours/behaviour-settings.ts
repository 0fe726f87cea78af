import { type Static, Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import type { ConfigIssue } from '../../config/load.js';
import { ClosedObject, StringEnum } from '../../config/schema-builders.js';
import {
  LOOP_ACTION_NAMES,
  USER_ACTION_NAMES,
  type UserActionName,
} from '../../mattermost/actions/catalogue.js';
import type { ActionLoopOptions } from './action-loop.js';
import type { SimulatedUsersOptions } from './simulated-users.js';
import type { UserModelOptions } from './user-model.js';

// The scenario-file settings of the two behaviours, as TypeBox fragments the scenario schema
// embeds, and their translation into the behaviours' options.

const WebSocketSettings = ClosedObject(
  {
    retry: Duration({
      default: '3s',
      description: "Reconnect delay after a lost WebSocket (the web app's 3 s).",
    }),
    jitter: Duration({
      default: '2s',
      description: 'Random extra reconnect delay, up to this (the web app: 2 s).',
    }),
  },
  { default: {}, description: 'WebSocket reconnect timing; the defaults are the web app’s.' },
);

const shared = {
  websocket: WebSocketSettings,
  requestTimeout: Duration({
    default: '5s',
    description:
      "Client timeout of every request (Mattermost's ceiling tests use 5 s); counted in mm_timeouts.",
  }),
  drain: Duration({
    default: '5s',
    description: 'At the end, how long to wait for posts still on their way before counting them missed.',
  }),
};

export const UserModelSettingsSchema = ClosedObject(
  {
    weights: Type.Optional(
      ClosedObject(
        Object.fromEntries(USER_ACTION_NAMES.map((n) => [n, Type.Optional(Type.Number({ minimum: 0 }))])),
        {
          description:
            'Relative frequencies replacing the production ones (create_post = 1); 0 removes an action.',
        },
      ),
    ),
    only: Type.Optional(
      Type.Array(StringEnum(USER_ACTION_NAMES), {
        minItems: 1,
        uniqueItems: true,
        description: 'Only these actions (with their weights).',
      }),
    ),
    idle: ClosedObject(
      {
        min: Duration({
          default: '1s',
          description: 'Shortest idle time between two actions (before the rate).',
        }),
        avg: Duration({
          default: '20s',
          description: 'Average idle time between two actions (before the rate).',
        }),
      },
      {
        default: {},
        description: 'Closed model: idle time uniform in [min, 2·avg − min), times the user’s rate.',
      },
    ),
    rates: Type.Optional(
      Type.Array(
        ClosedObject({
          rate: Type.Number({
            exclusiveMinimum: 0,
            description: 'Idle-time multiplier (higher = slower user).',
          }),
          share: Type.Number({ minimum: 0, maximum: 1, description: 'Share of users with this rate.' }),
        }),
        {
          minItems: 1,
          description: 'Rate classes; default 5 % at 1, 10 % at 2, 15 % at 3, 40 % at 6, 30 % at 30.',
        },
      ),
    ),
    statusInterval: Duration({
      default: '60s',
      description: 'How often each user fetches statuses; 0 turns it off.',
    }),
    ...shared,
  },
  { description: 'The Mattermost user model: production action mix, per-user rates, live WebSockets.' },
);

export const ActionLoopSettingsSchema = ClosedObject(
  {
    loop: Type.Array(StringEnum(LOOP_ACTION_NAMES), {
      minItems: 1,
      description: 'Actions of one iteration, in order (e.g. [ping] or [create_post, get_posts]).',
    }),
    ...shared,
  },
  { description: 'A fixed loop of actions, for accuracy tests and benchmarks.' },
);

export type UserModelSettings = Static<typeof UserModelSettingsSchema>;
export type ActionLoopSettings = Static<typeof ActionLoopSettingsSchema>;

/** What the run knows and the settings do not: where, as whom, how to measure. */
export type RunContext = Pick<
  SimulatedUsersOptions,
  'metrics' | 'urls' | 'credentials' | 'seed' | 'fileUploads'
>;

/** Cross-field rules for a user model block at `path` of a scenario file. */
export function checkUserModelSettings(
  settings: UserModelSettings,
  path: (string | number)[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (parseDuration(settings.idle.min) > parseDuration(settings.idle.avg)) {
    issues.push({ path: [...path, 'idle', 'min'], message: 'idle.min must not exceed idle.avg' });
  }
  const share = (settings.rates ?? []).reduce((sum, r) => sum + r.share, 0);
  if (settings.rates && Math.abs(share - 1) > 0.001) {
    issues.push({ path: [...path, 'rates'], message: `the shares add up to ${share}, not 1` });
  }
  return issues;
}

function sharedOptions(
  settings: UserModelSettings | ActionLoopSettings,
  run: RunContext,
): SimulatedUsersOptions {
  return {
    ...run,
    ws: {
      minRetryMs: parseDuration(settings.websocket.retry),
      jitterMs: parseDuration(settings.websocket.jitter),
    },
    requestTimeoutMs: parseDuration(settings.requestTimeout),
    drainMs: parseDuration(settings.drain),
  };
}

export function userModelOptions(settings: UserModelSettings, run: RunContext): UserModelOptions {
  return {
    ...sharedOptions(settings, run),
    ...(settings.weights && { weights: settings.weights as Partial<Record<UserActionName, number>> }),
    ...(settings.only && { only: settings.only }),
    idle: { minMs: parseDuration(settings.idle.min), avgMs: parseDuration(settings.idle.avg) },
    ...(settings.rates && { rates: settings.rates }),
    statusIntervalMs: parseDuration(settings.statusInterval),
  };
}

export function actionLoopOptions(settings: ActionLoopSettings, run: RunContext): ActionLoopOptions {
  return { ...sharedOptions(settings, run), loop: settings.loop };
}
