// Mattermost's configuration as a fresh v10.x server writes it (`SetDefaults()` in
// server/public/model/config.go): the keys a sovereignty audit reads and a sensible subset of the
// rest, with the code's defaults, not the docs' (they differ for EnableLinkPreviews,
// PushNotificationContents and CloudSettings.Disable). A fresh config has a SiteURL and gets the
// fresh-install values (push on, through Mattermost's test push proxy). The double keeps this as
// plain JSON: the environment file's `testDouble.config` is merged over it key by key.

export type ConfigObject = { [key: string]: ConfigValue };
export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigObject;

export function mattermostDefaults(): ConfigObject {
  return {
    ServiceSettings: {
      SiteURL: '',
      ListenAddress: ':8065',
      ConnectionSecurity: '',
      TLSMinVer: '1.2',
      TLSStrictTransport: false,
      UseLetsEncrypt: false,
      EnableLinkPreviews: true,
      RestrictLinkPreviews: '',
      EnablePermalinkPreviews: true,
      EnableSecurityFixAlert: true,
      EnableGifPicker: true,
      EnableOutgoingWebhooks: true,
      EnableIncomingWebhooks: true,
      EnableCommands: true,
      EnableOutgoingOAuthConnections: false,
      EnableInsecureOutgoingConnections: false,
      AllowedUntrustedInternalConnections: '',
      EnableMultifactorAuthentication: false,
      EnforceMultifactorAuthentication: false,
      EnableEmailInvitations: false,
      EnableAWSMetering: false,
      EnableOpenTracing: false,
      SplitKey: '',
      CollapsedThreads: 'default_on',
      AllowSyncedDrafts: true,
      ScheduledPosts: true,
      EnableUserTypingMessages: true,
      MaxNotificationsPerChannel: 1000,
      UniqueEmojiReactionLimitPerPost: 50,
      PostEditTimeLimit: -1,
      EnableCustomEmoji: false,
    },
    TeamSettings: {
      SiteName: 'Mattermost',
      MaxUsersPerTeam: 50,
      EnableUserCreation: true,
      EnableOpenServer: false,
      ExperimentalViewArchivedChannels: true,
    },
    SqlSettings: {
      DriverName: 'postgres',
      DataSource:
        'postgres://mmuser:mostest@localhost/mattermost_test?sslmode=disable&connect_timeout=10&binary_parameters=yes',
      DataSourceReplicas: [],
      AtRestEncryptKey: '',
      MaxOpenConns: 100,
      QueryTimeout: 30,
    },
    LogSettings: {
      EnableConsole: true,
      ConsoleLevel: 'DEBUG',
      EnableFile: true,
      EnableDiagnostics: true,
      EnableSentry: true,
    },
    FileSettings: {
      DriverName: 'local',
      Directory: './data/',
      MaxFileSize: 104857600,
      PublicLinkSalt: '',
      AmazonS3AccessKeyId: '',
      AmazonS3SecretAccessKey: '',
      AmazonS3Bucket: '',
      AmazonS3Region: '',
      AmazonS3Endpoint: 's3.amazonaws.com',
      AmazonS3SSL: true,
      AmazonS3SSE: false,
      AmazonS3SignV2: false,
      DedicatedExportStore: false,
      ExportDriverName: 'local',
      ExportAmazonS3Endpoint: 's3.amazonaws.com',
    },
    EmailSettings: {
      EnableSignUpWithEmail: true,
      EnableSignInWithEmail: true,
      EnableSignInWithUsername: true,
      SendEmailNotifications: true,
      RequireEmailVerification: false,
      FeedbackName: '',
      FeedbackEmail: 'test@example.com',
      SMTPUsername: '',
      SMTPPassword: '',
      SMTPServer: 'localhost',
      SMTPPort: '10025',
      EnableSMTPAuth: false,
      ConnectionSecurity: '',
      SkipServerCertificateVerification: false,
      SendPushNotifications: true,
      PushNotificationServer: 'https://push-test.mattermost.com',
      PushNotificationContents: 'full',
      EmailNotificationContentsType: 'full',
    },
    GitLabSettings: { Enable: false, Id: '', Secret: '', Scope: '' },
    GoogleSettings: { Enable: false, Id: '', Secret: '', Scope: 'profile email' },
    Office365Settings: {
      Enable: false,
      Id: '',
      Secret: '',
      Scope: 'User.Read',
      AuthEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      TokenEndpoint: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
      UserAPIEndpoint: 'https://graph.microsoft.com/v1.0/me',
      DirectoryId: '',
      DiscoveryEndpoint: '',
    },
    OpenIdSettings: {
      Enable: false,
      Id: '',
      Secret: '',
      Scope: 'profile openid email',
      DiscoveryEndpoint: '',
      ButtonText: '',
      ButtonColor: '#145DBF',
    },
    SamlSettings: {
      Enable: false,
      Verify: true,
      Encrypt: true,
      SignRequest: false,
      IdpURL: '',
      IdpDescriptorURL: '',
      SignatureAlgorithm: 'RSAwithSHA1',
    },
    LdapSettings: {
      Enable: false,
      LdapServer: '',
      LdapPort: 389,
      ConnectionSecurity: '',
      BindUsername: '',
      BindPassword: '',
      SkipCertificateVerification: false,
    },
    ComplianceSettings: { Enable: false, Directory: './data/', EnableDaily: false, BatchSize: 30000 },
    DataRetentionSettings: {
      EnableMessageDeletion: false,
      EnableFileDeletion: false,
      MessageRetentionDays: 365,
      FileRetentionDays: 365,
      MessageRetentionHours: 0,
      FileRetentionHours: 0,
      DeletionJobStartTime: '02:00',
    },
    MessageExportSettings: {
      EnableExport: false,
      ExportFormat: 'actiance',
      DailyRunTime: '01:00',
      ExportFromTimestamp: 0,
      BatchSize: 10000,
      DownloadExportResults: false,
      GlobalRelaySettings: { CustomerType: 'A9', SMTPUsername: '', SMTPPassword: '', EmailAddress: '' },
    },
    ExperimentalAuditSettings: { FileEnabled: false, FileName: '', AdvancedLoggingJSON: {} },
    AnnouncementSettings: {
      AdminNoticesEnabled: true,
      UserNoticesEnabled: true,
      NoticesURL: 'https://notices.mattermost.com/',
      NoticesFetchFrequency: 3600,
    },
    CloudSettings: {
      CWSURL: 'https://customers.mattermost.com',
      CWSAPIURL: 'https://portal.internal.prod.cloud.mattermost.com',
      Disable: false,
    },
    ImageProxySettings: {
      Enable: false,
      ImageProxyType: 'local',
      RemoteImageProxyURL: '',
      RemoteImageProxyOptions: '',
    },
    ClusterSettings: {
      Enable: false,
      ClusterName: '',
      UseIPAddress: true,
      GossipPort: 8074,
      EnableExperimentalGossipEncryption: false,
      EnableGossipEncryption: true,
    },
    ElasticsearchSettings: {
      ConnectionURL: 'http://localhost:9200',
      Username: 'elastic',
      Password: 'changeme',
      EnableIndexing: false,
      SkipTLSVerification: false,
    },
    CacheSettings: { CacheType: 'lru', RedisAddress: '', RedisPassword: '' },
    ConnectedWorkspacesSettings: { EnableSharedChannels: false, EnableRemoteClusterService: false },
    GuestAccountsSettings: {
      Enable: false,
      AllowEmailAccounts: true,
      EnforceMultifactorAuthentication: false,
    },
    PluginSettings: {
      Enable: true,
      EnableUploads: false,
      AutomaticPrepackagedPlugins: true,
      RequirePluginSignature: false,
      EnableMarketplace: true,
      EnableRemoteMarketplace: true,
      MarketplaceURL: 'https://api.integrations.mattermost.com',
      Plugins: {},
      PluginStates: {
        'com.mattermost.calls': { Enable: true },
        playbooks: { Enable: true },
        'com.mattermost.nps': { Enable: true },
      },
    },
    FeatureFlags: {
      GraphQL: false,
      ChannelBookmarks: true,
      CustomProfileAttributes: true,
      WebSocketEventScope: true,
    },
  };
}

function isObject(v: ConfigValue | undefined): v is ConfigObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` merged into a copy of `base` key by key; arrays and scalars replace, objects merge. */
export function mergeConfig(base: ConfigObject, over: ConfigObject): ConfigObject {
  const out: ConfigObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeConfig(current, value) : value;
  }
  return out;
}

/** The value at `path` (segments), undefined when a segment is missing. */
export function valueAt(config: ConfigObject, path: readonly string[]): ConfigValue | undefined {
  let here: ConfigValue | undefined = config;
  for (const segment of path) {
    if (!isObject(here)) return undefined;
    here = here[segment];
  }
  return here;
}
