import { readableChannel } from '../api/post-access.js';
import type { Reply, RequestContext } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { type ApiRouter, tokenFrom } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { Services } from '../services.js';
import { CALLS_PLUGIN_ID, clientCallState } from './events.js';
import type { CallsPlugin } from './plugin.js';

const BASE = `/plugins/${CALLS_PLUGIN_ID}`;
/** The plugin version the double claims (a v1 plugin with rtcd support). */
export const CALLS_PLUGIN_VERSION = '0.29.1';

// The plugin writes its errors with http.Error: a text body, not Mattermost's JSON error.
function textReply(status: number, text: string): Reply {
  return {
    status,
    raw: Buffer.from(`${text}\n`),
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  };
}

const unauthorized = () => textReply(401, 'Unauthorized');
const forbidden = () => textReply(403, 'Forbidden');

/** Mattermost passes the user id to the plugin only for a valid session. */
async function authenticate(ctx: RequestContext, s: Services): Promise<boolean> {
  const token = tokenFrom(ctx.req);
  if (!token) return false;
  try {
    ctx.session = await s.sessions.fromToken(token);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.statusCode === 401) return false;
    throw err;
  }
}

async function canReadChannel(ctx: RequestContext, s: Services, channelId: string): Promise<boolean> {
  if (!isValidId(channelId)) return false;
  try {
    await readableChannel(ctx, s, channelId);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.statusCode < 500) return false;
    throw err;
  }
}

function plugin(s: Services): CallsPlugin {
  if (!s.calls) throw new Error('calls routes registered without the calls plugin');
  return s.calls;
}

/** The Calls plugin's REST routes; registered only when the node has an rtcd double. */
export function registerCallsRoutes(api: ApiRouter): void {
  api.get(
    `${BASE}/version`,
    'callsGetVersion',
    async () => ({ status: 200, body: { version: CALLS_PLUGIN_VERSION, build: 'mmdrill-double' } }),
    { auth: false },
  );

  api.get(
    `${BASE}/config`,
    'callsGetConfig',
    async (ctx, s) => {
      if (!(await authenticate(ctx, s))) return unauthorized();
      return {
        status: 200,
        body: {
          ICEServers: [],
          ICEServersConfigs: plugin(s).config.iceServers,
          DefaultEnabled: true,
          AllowEnableCalls: true,
          NeedsTURNCredentials: false,
          AllowScreenSharing: true,
          MaxCallParticipants: 0,
          EnableRecordings: false,
          EnableTranscriptions: false,
          EnableLiveCaptions: false,
          EnableRinging: false,
          EnableAV1: false,
          EnableSimulcast: false,
          HostControlsAllowed: true,
          GroupCallsAllowed: true,
          sku_short_name: 'enterprise',
        },
      };
    },
    { auth: false },
  );

  api.get(
    `${BASE}/calls/:channel_id/active`,
    'callsGetCallActive',
    async (ctx, s) => {
      if (!(await authenticate(ctx, s))) return unauthorized();
      const channelId = ctx.param('channel_id');
      if (!(await canReadChannel(ctx, s, channelId))) return forbidden();
      const call = await plugin(s).callState(channelId);
      return { status: 200, body: { active: call !== null } };
    },
    { auth: false },
  );

  api.get(
    `${BASE}/channels`,
    'callsGetAllChannelStates',
    async (ctx, s) => {
      if (!(await authenticate(ctx, s))) return unauthorized();
      const calls = await plugin(s).allCalls();
      const body: unknown[] = [];
      for (const call of calls) {
        if (!(await canReadChannel(ctx, s, call.channel_id))) continue;
        body.push({ channel_id: call.channel_id, enabled: true, call: clientCallState(call) });
      }
      return { status: 200, body };
    },
    { auth: false },
  );

  api.get(
    `${BASE}/:channel_id`,
    'callsGetChannelState',
    async (ctx, s) => {
      if (!(await authenticate(ctx, s))) return unauthorized();
      const channelId = ctx.param('channel_id');
      if (!isValidId(channelId)) return textReply(404, '404 page not found');
      if (!(await canReadChannel(ctx, s, channelId))) return forbidden();
      const call = await plugin(s).callState(channelId);
      const body: Record<string, unknown> = { channel_id: channelId, enabled: true };
      if (call) body.call = clientCallState(call);
      return { status: 200, body };
    },
    { auth: false },
  );
}
