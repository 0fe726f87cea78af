import { type ConfigObject, type ConfigValue, valueAt } from './defaults.js';

// How Mattermost hides secrets in `GET /api/v4/config` (`Config.Sanitize()`): each secret field is
// replaced by the literal `model.FakeSetting`; the database DSN, its at-rest key and a few others
// always, the rest only when set. A PUT that sends the mask back keeps the stored secret
// (`Desanitize`), so an admin tool can round-trip the config without ever seeing a secret.

/** `model.FakeSetting`. */
export const FAKE_SETTING = '********************************';

/** Masked even when empty. */
const ALWAYS: readonly (readonly string[])[] = [
  ['SqlSettings', 'DataSource'],
  ['SqlSettings', 'AtRestEncryptKey'],
  ['ElasticsearchSettings', 'Password'],
  ['ServiceSettings', 'SplitKey'],
];

/** Masked when not empty. */
const WHEN_SET: readonly (readonly string[])[] = [
  ['FileSettings', 'AmazonS3SecretAccessKey'],
  ['FileSettings', 'PublicLinkSalt'],
  ['EmailSettings', 'SMTPPassword'],
  ['LdapSettings', 'BindPassword'],
  ['GitLabSettings', 'Secret'],
  ['GoogleSettings', 'Secret'],
  ['Office365Settings', 'Secret'],
  ['OpenIdSettings', 'Secret'],
  ['MessageExportSettings', 'GlobalRelaySettings', 'SMTPPassword'],
  ['CacheSettings', 'RedisPassword'],
];

/** Plugin settings the plugins' manifests mark `secret: true` (Calls: its ICE list and TURN secret). */
const PLUGIN_SECRETS: Readonly<Record<string, readonly string[]>> = {
  'com.mattermost.calls': ['iceserversconfigs', 'turnstaticauthsecret'],
};

function setAt(config: ConfigObject, path: readonly string[], value: ConfigValue): void {
  let here = config;
  for (const segment of path.slice(0, -1)) {
    const next = here[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return;
    here = next;
  }
  const last = path[path.length - 1]!;
  if (last in here) here[last] = value;
}

function pluginSecretPaths(config: ConfigObject): string[][] {
  const out: string[][] = [];
  for (const [plugin, keys] of Object.entries(PLUGIN_SECRETS))
    for (const key of keys) out.push(['PluginSettings', 'Plugins', plugin, key]);
  return out.filter((p) => valueAt(config, p) !== undefined);
}

/** A deep copy of `config` with every secret replaced by FAKE_SETTING. */
export function sanitize(config: ConfigObject): ConfigObject {
  const out = structuredClone(config);
  for (const path of ALWAYS) setAt(out, path, FAKE_SETTING);
  const replicas = valueAt(out, ['SqlSettings', 'DataSourceReplicas']);
  if (Array.isArray(replicas))
    setAt(
      out,
      ['SqlSettings', 'DataSourceReplicas'],
      replicas.map(() => FAKE_SETTING),
    );
  for (const path of [...WHEN_SET, ...pluginSecretPaths(out)]) {
    const value = valueAt(out, path);
    if (value !== undefined && value !== '' && value !== null) setAt(out, path, FAKE_SETTING);
  }
  return out;
}

/** `incoming` with every FAKE_SETTING put back to the secret stored in `stored`. */
export function desanitize(incoming: ConfigObject, stored: ConfigObject): ConfigObject {
  const out = structuredClone(incoming);
  const paths = [...ALWAYS, ...WHEN_SET, ...pluginSecretPaths(out)];
  for (const path of paths) {
    if (valueAt(out, path) === FAKE_SETTING) setAt(out, path, valueAt(stored, path) ?? '');
  }
  const replicas = valueAt(out, ['SqlSettings', 'DataSourceReplicas']);
  if (Array.isArray(replicas) && replicas.includes(FAKE_SETTING))
    setAt(
      out,
      ['SqlSettings', 'DataSourceReplicas'],
      valueAt(stored, ['SqlSettings', 'DataSourceReplicas']) ?? [],
    );
  return out;
}
