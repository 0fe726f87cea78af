import { isIP } from 'node:net';
import { type DeploymentReadings, FAKE_SETTING, readPath } from './readings.js';

// The named checks a control can use where "one of these values" does not say it: hosts that must
// be inside the network, secrets the API masks, a choice between several keys. Each returns a
// status and what it found, described without secrets (hosts and modes, never keys or passwords).

export type ControlStatus = 'pass' | 'fail' | 'not-applicable' | 'unknown';

export interface PredicateResult {
  status: ControlStatus;
  /** What was found, safe to print. */
  found: string;
  note?: string;
}

type Predicate = (value: unknown, readings: DeploymentReadings) => PredicateResult;

/** Domains of public services a sovereign deployment must not depend on. */
const PUBLIC_SUFFIXES = [
  'mattermost.com',
  'amazonaws.com',
  'google.com',
  'googleapis.com',
  'twilio.com',
  'cloudflare.com',
  'openai.com',
  'anthropic.com',
  'cohere.ai',
  'cohere.com',
  'mistral.ai',
];

function onSuffix(host: string, suffixes: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return suffixes.some((s) => h === s || h.endsWith(`.${s}`));
}

/** A public (not private, loopback or link-local) IPv4 literal. */
function publicIpv4(host: string): boolean {
  if (isIP(host) !== 4) return false;
  const [a = 0, b = 0] = host.split('.').map(Number);
  const internal =
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254);
  return !internal;
}

function isPublicHost(host: string): boolean {
  return onSuffix(host, PUBLIC_SUFFIXES) || publicIpv4(host);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    // `host:port` without a scheme (S3 endpoints, ICE urls).
    const m = /^(?:[a-z]+:)?\/{0,2}([^/:?]+)/i.exec(url);
    return m?.[1];
  }
}

const masked = (what: string): PredicateResult => ({
  status: 'unknown',
  found: '(masked by the API)',
  note: `${what} is a secret the API does not reveal`,
});

function notMattermostHosted(value: unknown): PredicateResult {
  if (typeof value !== 'string') return { status: 'unknown', found: 'not readable' };
  if (value === '') return { status: 'pass', found: '(none)' };
  const host = hostOf(value) ?? value;
  return { status: onSuffix(host, ['mattermost.com']) ? 'fail' : 'pass', found: host };
}

function licenceAllowsIdLoaded(_value: unknown, r: DeploymentReadings): PredicateResult {
  const flag = r.licence?.IDLoadedPushNotifications;
  if (flag === undefined) return { status: 'unknown', found: 'licence not readable' };
  return { status: flag === 'true' ? 'pass' : 'fail', found: `IDLoadedPushNotifications=${flag}` };
}

function falseOrAbsent(value: unknown): PredicateResult {
  if (value === undefined) return { status: 'pass', found: '(absent)' };
  return { status: value === false ? 'pass' : 'fail', found: String(value) };
}

function localImageProxy(value: unknown, r: DeploymentReadings): PredicateResult {
  const type = readPath(r.config, 'ImageProxySettings.ImageProxyType');
  if (value === undefined) return { status: 'unknown', found: 'not readable' };
  const found = `Enable=${String(value)}, ImageProxyType=${String(type)}`;
  return { status: value === true && type === 'local' ? 'pass' : 'fail', found };
}

interface IceServer {
  urls?: unknown;
}

function iceList(value: unknown, r: DeploymentReadings): IceServer[] | undefined {
  let list: unknown = value;
  if (list === FAKE_SETTING || list === undefined) list = r.callsConfig?.ICEServersConfigs;
  if (typeof list === 'string') {
    try {
      list = list.trim() === '' ? [] : JSON.parse(list);
    } catch {
      return undefined;
    }
  }
  return Array.isArray(list) ? (list as IceServer[]) : undefined;
}

function internalIceServers(value: unknown, r: DeploymentReadings): PredicateResult {
  const list = iceList(value, r);
  if (list === undefined)
    return value === FAKE_SETTING
      ? masked('The Calls ICE server list')
      : { status: 'unknown', found: 'not readable' };
  const urls = list.flatMap((s) =>
    Array.isArray(s.urls) ? s.urls : typeof s.urls === 'string' ? [s.urls] : [],
  );
  const hosts = [
    ...new Set(urls.map((u) => hostOf(String(u).replace(/^(stuns?|turns?):/, '')) ?? String(u))),
  ];
  if (hosts.length === 0) return { status: 'pass', found: '(none)' };
  const outside = hosts.filter(isPublicHost);
  return { status: outside.length > 0 ? 'fail' : 'pass', found: hosts.join(', ') };
}

function internalUrl(value: unknown): PredicateResult {
  if (typeof value !== 'string' || value === '') return { status: 'fail', found: '(none)' };
  const host = hostOf(value) ?? value;
  return { status: isPublicHost(host) ? 'fail' : 'pass', found: host };
}

function notPublicS3(value: unknown): PredicateResult {
  if (typeof value !== 'string') return { status: 'unknown', found: 'not readable' };
  const host = hostOf(value) ?? value;
  return {
    status: value === '' || onSuffix(host, ['amazonaws.com']) ? 'fail' : 'pass',
    found: host || '(empty)',
  };
}

function ssoEnabled(_value: unknown, r: DeploymentReadings): PredicateResult {
  if (!r.config) return { status: 'unknown', found: 'config not readable' };
  const on = [
    'Office365Settings',
    'OpenIdSettings',
    'SamlSettings',
    'GitLabSettings',
    'GoogleSettings',
  ].filter((s) => readPath(r.config, `${s}.Enable`) === true);
  return { status: on.length > 0 ? 'pass' : 'fail', found: on.length > 0 ? on.join(', ') : 'none enabled' };
}

function auditLogTarget(value: unknown, r: DeploymentReadings): PredicateResult {
  const advanced = readPath(r.config, 'ExperimentalAuditSettings.AdvancedLoggingJSON');
  const hasTargets =
    (typeof advanced === 'string' && advanced.trim() !== '' && advanced.trim() !== '{}') ||
    (typeof advanced === 'object' && advanced !== null && Object.keys(advanced).length > 0);
  if (value === undefined && advanced === undefined) return { status: 'unknown', found: 'not readable' };
  const found = `FileEnabled=${String(value)}, AdvancedLoggingJSON ${hasTargets ? 'has targets' : 'empty'}`;
  return { status: value === true || hasTargets ? 'pass' : 'fail', found };
}

interface LlmService {
  type?: unknown;
  apiURL?: unknown;
}

function sovereignLlm(value: unknown): PredicateResult {
  let config: unknown = value;
  if (typeof config === 'string') {
    try {
      config = JSON.parse(config);
    } catch {
      return { status: 'unknown', found: 'config not readable' };
    }
  }
  const services = (config as { services?: unknown } | undefined)?.services;
  if (!Array.isArray(services)) return { status: 'unknown', found: 'no services listed' };
  // Only type and host: the service entries also hold API keys, which are never printed.
  const described = (services as LlmService[]).map((s) => {
    const type = String(s.type ?? '?');
    const host = typeof s.apiURL === 'string' && s.apiURL !== '' ? hostOf(s.apiURL) : undefined;
    const ok = (type === 'openaicompatible' && host !== undefined && !isPublicHost(host)) || type === 'azure';
    return { text: host ? `${type}@${host}` : type, ok };
  });
  return {
    status: described.every((d) => d.ok) ? 'pass' : 'fail',
    found: described.map((d) => d.text).join(', ') || '(none)',
  };
}

function tlsOrHttpsSite(value: unknown, r: DeploymentReadings): PredicateResult {
  const site = readPath(r.config, 'ServiceSettings.SiteURL');
  if (value === undefined) return { status: 'unknown', found: 'not readable' };
  const https = typeof site === 'string' && site.startsWith('https://');
  return {
    status: value === 'TLS' || https ? 'pass' : 'fail',
    found: `ConnectionSecurity=${JSON.stringify(value)}, SiteURL ${https ? 'https' : 'not https'}`,
  };
}

function databaseSslmode(value: unknown): PredicateResult {
  if (value === FAKE_SETTING) return masked('SqlSettings.DataSource');
  if (typeof value !== 'string') return { status: 'unknown', found: 'not readable' };
  // Only the sslmode parameter is ever shown: the DSN holds the database password.
  const mode = /[?&]sslmode=([a-z-]+)/.exec(value)?.[1] ?? '(unset: prefer)';
  return {
    status: ['require', 'verify-ca', 'verify-full'].includes(mode) ? 'pass' : 'fail',
    found: `sslmode=${mode}`,
  };
}

export const PREDICATES = {
  notMattermostHosted,
  licenceAllowsIdLoaded,
  falseOrAbsent,
  localImageProxy,
  internalIceServers,
  internalUrl,
  notPublicS3,
  ssoEnabled,
  auditLogTarget,
  sovereignLlm,
  tlsOrHttpsSite,
  databaseSslmode,
} satisfies Record<string, Predicate>;

export type PredicateName = keyof typeof PREDICATES;
