import type { RequestContext } from '../http/context.js';
import { ok, statusOk } from '../http/context.js';
import { AppError } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { type ConfigObject, type ConfigValue, valueAt } from '../mm-config/defaults.js';
import type { Services } from '../services.js';

// What clients read before anything else: the client config and licence (the web app's first two
// requests, LTNG's feature switches), the site root LTNG fetches as "static assets", webapp
// plugins (none), server limits and client performance reports (accepted and dropped).
// The double presents itself as a licensed server with every feature LTNG gates on switched on,
// so every simulcontroller action can run (docs/scenarios.md; load-test-ng's simulcontroller checks the licence and config before those actions).

/** The URL the client reached (a configured SiteURL is not followed: clients must reach the double). */
function siteUrl(ctx: RequestContext): string {
  return `http://${ctx.req.headers.host ?? '127.0.0.1'}`;
}

/** The client config's flat string form of a config value ("true", "full", "0"). */
function flat(config: ConfigObject, path: string): string {
  const value: ConfigValue | undefined = valueAt(config, path.split('.'));
  return value === undefined || value === null ? '' : String(value);
}

/** Client keys that follow the server config (server/config/client.go), by config path. */
const FROM_CONFIG: Readonly<Record<string, string>> = {
  SendPushNotifications: 'EmailSettings.SendPushNotifications',
  EnableLinkPreviews: 'ServiceSettings.EnableLinkPreviews',
  EnablePermalinkPreviews: 'ServiceSettings.EnablePermalinkPreviews',
  HasImageProxy: 'ImageProxySettings.Enable',
  EnableDiagnostics: 'LogSettings.EnableDiagnostics',
  DiagnosticsEnabled: 'LogSettings.EnableDiagnostics',
  EnableMarketplace: 'PluginSettings.EnableMarketplace',
  EnableGifPicker: 'ServiceSettings.EnableGifPicker',
  SendEmailNotifications: 'EmailSettings.SendEmailNotifications',
  EmailNotificationContentsType: 'EmailSettings.EmailNotificationContentsType',
  EnableSignUpWithEmail: 'EmailSettings.EnableSignUpWithEmail',
  EnableSignInWithEmail: 'EmailSettings.EnableSignInWithEmail',
  EnableSignInWithUsername: 'EmailSettings.EnableSignInWithUsername',
  EnableSignUpWithOffice365: 'Office365Settings.Enable',
  EnableSignUpWithOpenId: 'OpenIdSettings.Enable',
  EnableSaml: 'SamlSettings.Enable',
  EnableMultifactorAuthentication: 'ServiceSettings.EnableMultifactorAuthentication',
  EnforceMultifactorAuthentication: 'ServiceSettings.EnforceMultifactorAuthentication',
  EnableComplianceExport: 'MessageExportSettings.EnableExport',
  DataRetentionEnableMessageDeletion: 'DataRetentionSettings.EnableMessageDeletion',
  DataRetentionEnableFileDeletion: 'DataRetentionSettings.EnableFileDeletion',
  EnableEmailInvitations: 'ServiceSettings.EnableEmailInvitations',
  RequireEmailVerification: 'EmailSettings.RequireEmailVerification',
  EnableCustomEmoji: 'ServiceSettings.EnableCustomEmoji',
  SiteName: 'TeamSettings.SiteName',
};

function clientConfig(ctx: RequestContext, s: Services): Record<string, string> {
  const config = s.mmConfig.current();
  const url = siteUrl(ctx);
  const fromConfig = Object.fromEntries(
    Object.entries(FROM_CONFIG).map(([key, path]) => [key, flat(config, path)]),
  );
  return {
    ...fromConfig,
    Version: s.config.version,
    BuildNumber: s.config.version,
    BuildHash: 'double',
    BuildEnterpriseReady: 'true',
    SiteURL: url,
    WebsocketURL: url.replace(/^http/, 'ws'),
    WebsocketPort: '80',
    WebsocketSecurePort: '443',
    EnableClientMetrics: 'true',
    EnableUserStatuses: 'true',
    EnableUserTypingMessages: 'true',
    MaxNotificationsPerChannel: '1000',
    UsersStatusAndProfileFetchingPollIntervalMilliseconds: '3000',
    UniqueEmojiReactionLimitPerPost: '50',
    CollapsedThreads: 'default_on',
    AllowSyncedDrafts: 'true',
    ScheduledPosts: 'true',
    DisableRefetchingOnBrowserFocus: 'false',
    DisableWakeUpReconnectHandler: 'false',
    ExperimentalViewArchivedChannels: 'true',
    EnableFileAttachments: 'true',
    MaxFileSize: String(s.config.maxFileSizeBytes),
    MaxPostSize: '16383',
    PostEditTimeLimit: '-1',
    FeatureFlagGraphQL: 'false',
    FeatureFlagChannelBookmarks: 'true',
    FeatureFlagCustomProfileAttributes: 'true',
    FeatureFlagWebSocketEventScope: 'true',
    IsDefaultMarketplace: String(
      flat(config, 'PluginSettings.MarketplaceURL') === 'https://api.integrations.mattermost.com',
    ),
    NoAccounts: 'false',
  };
}

/** The licence the double presents: licensed (bookmarks and scheduled posts need one), no LDAP groups. */
const CLIENT_LICENSE: Record<string, string> = {
  IsLicensed: 'true',
  IsTrial: 'false',
  SkuName: 'Enterprise',
  SkuShortName: 'enterprise',
  LDAP: 'false',
  LDAPGroups: 'false',
  Cluster: 'true',
  Metrics: 'true',
  Users: '0',
  IDLoadedPushNotifications: 'true',
  DataRetention: 'true',
  Compliance: 'true',
  MessageExport: 'true',
};

function formatQuery(ctx: RequestContext, key: string): void {
  const format = ctx.query.get('format');
  // Servers from v11 ignore a missing format; `old` is what the JS client sends. Anything else: 400.
  if (format !== null && format !== 'old') {
    throw new AppError(
      `api.${key}.client.old_format.app_error`,
      'New format for the client is not supported yet.',
      400,
    );
  }
}

const SITE_ROOT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mattermost</title></head><body><div id="root"></div></body></html>`;

export function registerClientConfigRoutes(api: ApiRouter): void {
  api.get(
    '/',
    'root',
    async () => ({
      status: 200,
      raw: Buffer.from(SITE_ROOT),
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache, max-age=31556926, public',
      },
    }),
    { auth: false },
  );

  api.get(
    '/api/v4/config/client',
    'getClientConfig',
    async (ctx, s) => {
      formatQuery(ctx, 'config');
      return ok(clientConfig(ctx, s));
    },
    { auth: false },
  );

  api.get(
    '/api/v4/license/client',
    'getClientLicense',
    async (ctx) => {
      formatQuery(ctx, 'license');
      return ok(CLIENT_LICENSE);
    },
    { auth: false },
  );

  api.get('/api/v4/limits/server', 'getServerLimits', async (_ctx, s) => {
    const { rows } = await s.db.read<{ n: string }>(
      'UserStore.Count',
      'SELECT count(*)::text AS n FROM users WHERE delete_at = 0',
      [],
    );
    return ok({ activeUserCount: Number(rows[0]?.n ?? 0), maxUsersLimit: 0, maxUsersHardLimit: 0 });
  });

  api.get('/api/v4/plugins/webapp', 'getWebappPlugins', async () => ok([]));

  // Client performance reports (LTNG every 60 s, the web app every 45-75 s): accepted, not kept.
  api.post('/api/v4/client_perf', 'submitPerformanceReport', async (ctx) => {
    await ctx.object('report');
    return statusOk;
  });
}
