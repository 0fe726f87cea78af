import type { DoubleConfig } from '../config.js';
import { type ConfigObject, mattermostDefaults, mergeConfig } from './defaults.js';

// The configuration a node starts with: Mattermost's defaults, then what is true of this node
// (its database, object store and Calls plugin, as the server's own config would say), then the
// environment file's `testDouble.config` over both, so a test or a user can set any key. The
// native stack's push-proxy sink is one such fact: it stands where a self-hosted push proxy would.

function runtimeFacts(config: DoubleConfig): ConfigObject {
  const facts: ConfigObject = {
    SqlSettings: {
      DataSource: config.databaseUrl,
      DataSourceReplicas: config.replicaUrl ? [config.replicaUrl] : [],
    },
    FileSettings: { MaxFileSize: config.maxFileSizeBytes },
  };
  const store = config.objectStore;
  if (store) {
    const url = new URL(store.endpoint);
    facts.FileSettings = {
      ...(facts.FileSettings as ConfigObject),
      DriverName: 'amazons3',
      AmazonS3Endpoint: url.host,
      AmazonS3SSL: url.protocol === 'https:',
      AmazonS3Bucket: store.bucket,
      AmazonS3Region: store.region,
      AmazonS3AccessKeyId: store.accessKey,
      AmazonS3SecretAccessKey: store.secretKey,
    };
  }
  const calls = config.calls;
  facts.PluginSettings = {
    PluginStates: { 'com.mattermost.calls': { Enable: calls !== undefined } },
    Plugins: calls
      ? {
          'com.mattermost.calls': {
            rtcdserviceurl: calls.rtcdUrl,
            iceserversconfigs: JSON.stringify(calls.iceServers),
            icehostoverride: '',
            udpserverport: 8443,
            tcpserverport: 8443,
            enablerecordings: false,
            enabletranscriptions: false,
            transcribeapi: 'whisper.cpp',
            enablelivecaptions: false,
          },
        }
      : {},
  };
  return facts;
}

export function initialConfig(config: DoubleConfig): ConfigObject {
  return mergeConfig(mergeConfig(mattermostDefaults(), runtimeFacts(config)), config.mmConfig ?? {});
}
