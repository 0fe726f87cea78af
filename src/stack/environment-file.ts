// Reading an environment file: the schema (environment.ts) first, then the rules a schema cannot
// say (ports free, settings that do not apply to the provider), then the provider-shaped result.
// Kept apart from the schema so that the schema file imports nothing of the checks.
import { LOOPBACK } from '../common/loopback.js';
import {
  type CheckContext,
  type ConfigIssue,
  loadConfigFile,
  parseConfigTextChecked,
} from '../config/load.js';
import { type Environment, type EnvironmentFile, EnvironmentSchema } from './environment.js';
import { isPortFree } from './native/ports.js';

export interface EnvironmentCheckOptions {
  /**
   * Check that fixed ports are free (default true). Commands that look at a stack already running
   * (status, down) turn it off: the stack itself holds the ports.
   */
  checkPorts?: boolean;
}

// Settings that shape a stack mmdrill starts; against an existing deployment they would be
// silently ignored, which hides a mistake (the user believes they took effect).
const NOT_FOR_EXISTING = {
  appNodes: 'mmdrill starts no app nodes there',
  proxies: 'list the proxies that exist under existing.toxiproxy instead',
  ports: 'mmdrill listens on no ports there',
  loadBalancer: 'mmdrill does not configure that load balancer',
} as const;

/**
 * The rules of an environment file that JSON Schema cannot say well (they depend on the provider
 * or on the machine). Runs after the schema passed; returns every issue found.
 */
export async function validateEnvironment(
  env: EnvironmentFile,
  context: CheckContext,
  options: EnvironmentCheckOptions = {},
): Promise<ConfigIssue[]> {
  const issues = [...providerIssues(env, context), ...linkIssues(env)];
  if (env.provider !== 'existing') issues.push(...(await portIssues(env, options.checkPorts !== false)));
  return issues;
}

function providerIssues(env: EnvironmentFile, context: CheckContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { provider } = env;
  if (provider === 'existing') {
    if (env.existing === undefined) {
      issues.push({
        path: ['provider'],
        message: 'provider existing needs an "existing" block with the url of the deployment (existing.url)',
      });
    }
    for (const [key, reason] of Object.entries(NOT_FOR_EXISTING)) {
      if (context.written([key])) {
        issues.push({
          path: [key],
          anchor: 'key',
          message: `does not apply to provider existing (${reason}); remove it`,
        });
      }
    }
  }
  if (provider !== 'native' && context.written(['testDouble'])) {
    issues.push({
      path: ['testDouble'],
      anchor: 'key',
      message: `applies only to provider native (the test double runs only there), and this environment's provider is ${provider}; remove it`,
    });
  }
  if (provider !== 'native' && env.egressWatch?.enabled) {
    issues.push({
      path: ['egressWatch', 'enabled'],
      message: `the egress watch runs on provider native only (containers: an internal network, see docs/egress.md), and this environment's provider is ${provider}`,
    });
  }
  if (env.testDouble.linkPreviews && !env.egressWatch?.enabled) {
    issues.push({
      path: ['testDouble', 'linkPreviews'],
      message:
        'link previews fetch outside URLs: they need the egress watch (egressWatch.enabled: true), whose DNS sink and kernel rule keep every attempt on loopback',
    });
  }
  for (const block of ['containers', 'existing'] as const) {
    if (provider !== block && context.written([block])) {
      issues.push({
        path: [block],
        anchor: 'key',
        message: `applies only to provider ${block}, and this environment's provider is ${provider}; remove it`,
      });
    }
  }
  return issues;
}

function linkIssues(env: EnvironmentFile): ConfigIssue[] {
  if (env.provider === 'existing' || !Array.isArray(env.proxies)) return [];
  const issues: ConfigIssue[] = [];
  env.proxies.forEach((link, index) => {
    if (link === 'app-db-replica' && !env.database.replica) {
      issues.push({
        path: ['proxies', index],
        message:
          'link app-db-replica needs a database replica: set database.replica: true or remove the link',
      });
    }
    if (link === 'app-object-store' && !env.objectStore.enabled) {
      issues.push({
        path: ['proxies', index],
        message:
          'link app-object-store needs the object store: set objectStore.enabled: true or remove the link',
      });
    }
  });
  return issues;
}

/** Fixed ports given twice; and, when `probe`, fixed ports something already listens on. */
async function portIssues(env: EnvironmentFile, probe: boolean): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const owners = new Map<number, string>();
  const toProbe: { key: string; port: number }[] = [];
  for (const [key, port] of Object.entries(env.ports)) {
    if (port === 0) continue;
    const owner = owners.get(port);
    if (owner === undefined) {
      owners.set(port, key);
      toProbe.push({ key, port });
    } else {
      issues.push({ path: ['ports', key], message: `port ${port} is already given to ports.${owner}` });
    }
  }
  if (!probe) return issues;
  const free = await Promise.all(toProbe.map(({ port }) => isPortFree(port)));
  toProbe.forEach(({ key, port }, index) => {
    if (!free[index]) {
      issues.push({ path: ['ports', key], message: `port ${port} (ports.${key}) is in use on ${LOOPBACK}` });
    }
  });
  return issues;
}

/** Drops the defaulted settings that do not apply to the file's provider. */
function toEnvironment(file: EnvironmentFile): Environment {
  const { provider, containers, existing, ...shared } = file;
  if (provider === 'containers') return { ...shared, provider, containers };
  if (provider === 'existing') {
    const { appNodes: _a, proxies: _p, ports: _o, loadBalancer: _l, testDouble: _t, ...rest } = shared;
    return { ...rest, provider, existing: existing! };
  }
  return { ...shared, provider };
}

/** Loads and checks an environment file; throws ConfigError naming file, line and field. */
export async function loadEnvironmentFile(
  path: string,
  options: EnvironmentCheckOptions = {},
): Promise<Environment> {
  const file = await loadConfigFile(path, EnvironmentSchema, {
    kind: 'environment',
    check: (env, context) => validateEnvironment(env, context, options),
  });
  return toEnvironment(file);
}

/** As loadEnvironmentFile, from text (`file` names it in messages). */
export async function parseEnvironmentText(
  text: string,
  file: string,
  options: EnvironmentCheckOptions = {},
): Promise<Environment> {
  const env = await parseConfigTextChecked(text, file, EnvironmentSchema, {
    kind: 'environment',
    check: (value, context) => validateEnvironment(value, context, options),
  });
  return toEnvironment(env);
}
