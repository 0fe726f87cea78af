import { LOOPBACK } from '../../common/loopback.js';
import type { ContainerPlan, PlanContext } from './container-plan.js';

// The Calls media server from the official `mattermost/rtcd` image. Configured through RTCD_*
// variables (TOML path upper-cased: api.security.allow_self_registration →
// RTCD_API_SECURITY_ALLOWSELFREGISTRATION). The app nodes reach its API on the stack's network
// (MM_CALLS_RTCD_SERVICE_URL); clients on the host reach its media port, published on 127.0.0.1
// under the same number so the host candidate rtcd advertises (ICE host override 127.0.0.1) is
// the one that works. Routing calls through rtcd needs an Enterprise licence: without one the
// Calls plugin ignores the setting and serves media from its built-in SFU on the app nodes.

export const RTCD_NAME = 'rtcd';
export const RTCD_API_PORT = 8045;

export function rtcdServiceUrl(): string {
  return `http://${RTCD_NAME}:${RTCD_API_PORT}`;
}

export function planRtcd(ctx: PlanContext): ContainerPlan {
  const { rtcdApi, rtcdMedia } = ctx.hostPorts;
  if (rtcdApi === undefined || rtcdMedia === undefined)
    throw new Error('rtcd needs host ports (hostPorts.rtcdApi and hostPorts.rtcdMedia)');
  return {
    name: RTCD_NAME,
    kind: 'media-server',
    containerName: ctx.containerName(RTCD_NAME),
    image: ctx.env.containers.images.rtcd,
    env: {
      // Self-registration: the plugin registers itself on first connect and keeps the key in the
      // database (there is no other client of this rtcd).
      RTCD_API_SECURITY_ALLOWSELFREGISTRATION: 'true',
      RTCD_API_HTTP_LISTENADDRESS: `:${RTCD_API_PORT}`,
      RTCD_LOGGER_ENABLEFILE: 'false',
      RTCD_LOGGER_CONSOLEJSON: 'true',
      RTCD_LOGGER_CONSOLELEVEL: 'INFO',
      RTCD_RTC_ICEPORTUDP: String(rtcdMedia),
      RTCD_RTC_ICEPORTTCP: String(rtcdMedia),
      RTCD_RTC_ICEHOSTOVERRIDE: LOOPBACK,
      // No STUN: nothing leaves the machine.
      RTCD_RTC_ICESERVERS: '[]',
    },
    networkAliases: [RTCD_NAME],
    published: [
      { container: RTCD_API_PORT, host: rtcdApi },
      { container: rtcdMedia, host: rtcdMedia },
    ],
    files: [],
    wait: { kind: 'http', path: '/version', port: RTCD_API_PORT, status: 200 },
    startupTimeoutMs: 60_000,
    dependsOn: [],
    labels: ctx.labels(RTCD_NAME),
    url: `http://${LOOPBACK}:${rtcdApi}`,
  };
}

/** The app nodes' Calls settings (the plugin's own MM_CALLS_* overrides). */
export function callsEnvironment(ctx: PlanContext): Record<string, string> {
  if (!ctx.env.calls.enabled) return {};
  return {
    MM_PLUGINSETTINGS_ENABLE: 'true',
    MM_CALLS_RTCD_SERVICE_URL: rtcdServiceUrl(),
    MM_CALLS_DEFAULT_ENABLED: 'true',
    // No STUN server on the Internet: clients and media are all on this machine.
    MM_CALLS_ICE_SERVERS_CONFIGS: '[]',
    MM_CALLS_ICE_HOST_OVERRIDE: LOOPBACK,
  };
}
