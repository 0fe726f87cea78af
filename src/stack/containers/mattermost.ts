import { LOOPBACK } from '../../common/loopback.js';
import type { ContainerPlan, PlanContext } from './container-plan.js';
import { BUCKET, REGION } from './object-store.js';
import { DATABASE, DATABASE_USER } from './postgres.js';
import { callsEnvironment, RTCD_NAME } from './rtcd.js';
import {
  APP_HTTP_PORT,
  APP_METRICS_PORT,
  appName,
  dialAddress,
  SERVICES,
  serviceAddress,
} from './topology.js';

// Mattermost app nodes from the official image (mattermost/mattermost-enterprise-edition or
// team-edition), configured only through MM_* environment variables: each overrides the config.json
// setting of the same path (MM_<SECTION>_<SETTING>, upper case), so no config file is written.
// The database and the object store are reached through their Toxiproxy proxies when they exist.

/** SqlSettings.MaxOpenConns per node; postgres.ts sizes max_connections from it. */
export const MAX_OPEN_CONNS_PER_NODE = 100;

function postgresUrl(address: string, password: string): string {
  const params = 'sslmode=disable&connect_timeout=10&binary_parameters=yes';
  return `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@${address}/${DATABASE}?${params}`;
}

/** The users' entry URL: Mattermost's SiteURL and what mmdrill's simulated users dial. */
export function usersUrl(ctx: PlanContext): string {
  return `http://${LOOPBACK}:${ctx.hostPorts.users}`;
}

export function mattermostEnvironment(ctx: PlanContext): Record<string, string> {
  const { env, secrets, proxies } = ctx;
  const primary = dialAddress(proxies, 'app-db-primary', serviceAddress(SERVICES.postgresPrimary));
  const settings: Record<string, string> = {
    MM_SQLSETTINGS_DRIVERNAME: 'postgres',
    MM_SQLSETTINGS_DATASOURCE: postgresUrl(primary, secrets.databasePassword),
    MM_SQLSETTINGS_MAXOPENCONNS: String(MAX_OPEN_CONNS_PER_NODE),
    MM_SERVICESETTINGS_SITEURL: usersUrl(ctx),
    MM_SERVICESETTINGS_LISTENADDRESS: `:${APP_HTTP_PORT}`,
    // Nothing is sent anywhere but 127.0.0.1 and the stack's network.
    MM_SERVICESETTINGS_ENABLESECURITYFIXALERT: 'false',
    MM_LOGSETTINGS_ENABLEDIAGNOSTICS: 'false',
    MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE: 'false',
    MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED: 'false',
    MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED: 'false',
    // mmdrill signs its simulated users up through the API, without invitations or e-mail.
    MM_TEAMSETTINGS_ENABLEOPENSERVER: 'true',
    MM_TEAMSETTINGS_ENABLEUSERCREATION: 'true',
    MM_TEAMSETTINGS_MAXUSERSPERTEAM: '100000',
    MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION: 'false',
    MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS: 'false',
    // Load comes from few addresses; the rate limiter would judge the harness, not the server.
    MM_RATELIMITSETTINGS_ENABLE: 'false',
    // High availability. Clustering is an Enterprise feature: without a license the nodes run
    // unclustered (each delivers WebSocket events only to its own clients).
    MM_CLUSTERSETTINGS_ENABLE: 'true',
    MM_CLUSTERSETTINGS_CLUSTERNAME: env.name,
    MM_CLUSTERSETTINGS_USEIPADDRESS: 'true',
    // Prometheus metrics (also Enterprise-licensed: unlicensed nodes do not open this listener).
    MM_METRICSSETTINGS_ENABLE: 'true',
    MM_METRICSSETTINGS_LISTENADDRESS: `:${APP_METRICS_PORT}`,
    // One JSON object per line on stdout, which the provider writes to the component's log file.
    MM_LOGSETTINGS_ENABLECONSOLE: 'true',
    MM_LOGSETTINGS_CONSOLELEVEL: 'INFO',
    MM_LOGSETTINGS_CONSOLEJSON: 'true',
    MM_LOGSETTINGS_ENABLECOLOR: 'false',
    MM_LOGSETTINGS_ENABLEFILE: 'false',
  };
  if (env.database.replica) {
    const replica = dialAddress(proxies, 'app-db-replica', serviceAddress(SERVICES.postgresReplica));
    // A list setting: Mattermost splits the variable on spaces.
    settings.MM_SQLSETTINGS_DATASOURCEREPLICAS = postgresUrl(replica, secrets.databasePassword);
  }
  if (env.objectStore.enabled) {
    Object.assign(settings, {
      MM_FILESETTINGS_DRIVERNAME: 'amazons3',
      // host:port without a scheme. minio-go, Mattermost's S3 client, uses path-style addressing
      // for any endpoint that is not Amazon's; Mattermost has no setting for it.
      MM_FILESETTINGS_AMAZONS3ENDPOINT: dialAddress(
        proxies,
        'app-object-store',
        serviceAddress(SERVICES.objectStore),
      ),
      MM_FILESETTINGS_AMAZONS3BUCKET: BUCKET,
      MM_FILESETTINGS_AMAZONS3REGION: REGION,
      MM_FILESETTINGS_AMAZONS3ACCESSKEYID: secrets.objectStoreAccessKey,
      MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY: secrets.objectStoreSecretKey,
      MM_FILESETTINGS_AMAZONS3SSL: 'false',
    });
  } else {
    settings.MM_FILESETTINGS_DRIVERNAME = 'local';
  }
  Object.assign(settings, callsEnvironment(ctx));
  if (ctx.license) settings.MM_LICENSE = ctx.license;
  return settings;
}

/** App node `index` (1-based). The first creates the schema; the others start after it. */
export function planMattermostNode(ctx: PlanContext, index: number): ContainerPlan {
  const name = appName(index);
  const ports = ctx.hostPorts.apps[index - 1];
  if (!ports) throw new Error(`no host ports for ${name} (hostPorts.apps has ${ctx.hostPorts.apps.length})`);
  const backends: string[] = [SERVICES.postgresPrimary.alias];
  if (ctx.env.database.replica) backends.push(SERVICES.postgresReplica.alias);
  if (ctx.env.objectStore.enabled) backends.push(SERVICES.objectStore.alias);
  if (ctx.proxies.length > 0) backends.push(SERVICES.toxiproxy.alias);
  if (ctx.env.calls.enabled) backends.push(RTCD_NAME);
  return {
    name,
    kind: 'app',
    containerName: ctx.containerName(name),
    image: ctx.env.containers.images.mattermost,
    env: mattermostEnvironment(ctx),
    networkAliases: [name],
    published: [
      { container: APP_HTTP_PORT, host: ports.http },
      { container: APP_METRICS_PORT, host: ports.metrics },
    ],
    files: [],
    wait: { kind: 'http', path: '/api/v4/system/ping', port: APP_HTTP_PORT, status: 200 },
    // The first start runs every database migration; on two cores that takes minutes.
    startupTimeoutMs: 300_000,
    dependsOn: index === 1 ? backends : [appName(1)],
    labels: ctx.labels(name),
    url: `http://${LOOPBACK}:${ports.http}`,
    metricsUrl: `http://${LOOPBACK}:${ports.metrics}/metrics`,
  };
}
