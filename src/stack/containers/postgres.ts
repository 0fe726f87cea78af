import { LOOPBACK } from '../../common/loopback.js';
import type { ContainerPlan, PlanContext, WaitPlan } from './container-plan.js';
import { SERVICES } from './topology.js';

// PostgreSQL primary and streaming replica from the official `postgres` image. The primary is
// configured by the image's entrypoint (POSTGRES_* variables, /docker-entrypoint-initdb.d); the
// replica clones the primary with pg_basebackup before handing over to that same entrypoint,
// which then finds a data directory and just runs the server.

export const DATABASE = 'mattermost';
export const DATABASE_USER = 'mmuser';
export const REPLICATION_USER = 'replicator';

/** Run inside the replica as the postgres user: promotes it, waiting until it accepts writes. */
export const PROMOTE_COMMAND = ['pg_ctl', 'promote', '-w'];
export const PROMOTE_USER = 'postgres';

const INIT_SCRIPT_PATH = '/docker-entrypoint-initdb.d/10-mmdrill-replication.sh';

/**
 * Creates the replication role and lets it connect from the stack's network. The password comes
 * from the container's environment (MMDRILL_REPLICATION_PASSWORD), never from this file.
 */
export const REPLICATION_INIT_SCRIPT = `#!/bin/bash
# Written by mmdrill: the role the streaming replica connects as.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \\
  -v password="$MMDRILL_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE ${REPLICATION_USER} WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
`;

/**
 * Server settings for both servers (a hot standby needs max_connections at least the primary's).
 * Every app node opens up to MaxOpenConns (set in mattermost.ts) connections to each.
 */
export function serverSettings(appNodes: number, maxOpenConnsPerNode: number): string[] {
  const settings: Record<string, string> = {
    max_connections: String(appNodes * maxOpenConnsPerNode + 50),
    wal_level: 'replica',
    max_wal_senders: '10',
    max_replication_slots: '10',
    // Lets a briefly partitioned standby catch up without a replication slot.
    wal_keep_size: '256MB',
    hot_standby: 'on',
    // Drills kill the container; an acknowledged commit must survive that.
    fsync: 'on',
    synchronous_commit: 'on',
  };
  return Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

/**
 * Ready once the final server accepts TCP connections: during first-time initialisation the
 * entrypoint's temporary server listens on the unix socket only, so this never fires early.
 */
const READY: WaitPlan = {
  kind: 'all',
  of: [
    {
      kind: 'command',
      command: `pg_isready --host=127.0.0.1 --port=5432 --username=${DATABASE_USER} --dbname=${DATABASE} --quiet`,
    },
    { kind: 'ports' },
  ],
};

const url = (port: number) => `postgres://${DATABASE_USER}@${LOOPBACK}:${port}/${DATABASE}`;

export function planPostgresPrimary(ctx: PlanContext, maxOpenConnsPerNode: number): ContainerPlan {
  const name = SERVICES.postgresPrimary.alias;
  return {
    name,
    kind: 'database',
    containerName: ctx.containerName(name),
    image: ctx.env.containers.images.postgres,
    env: {
      POSTGRES_USER: DATABASE_USER,
      POSTGRES_PASSWORD: ctx.secrets.databasePassword,
      POSTGRES_DB: DATABASE,
      MMDRILL_REPLICATION_PASSWORD: ctx.secrets.replicationPassword,
    },
    command: ['postgres', ...serverSettings(ctx.env.appNodes, maxOpenConnsPerNode)],
    networkAliases: [name],
    published: [{ container: SERVICES.postgresPrimary.port, host: ctx.hostPorts.postgresPrimary }],
    files: [{ target: INIT_SCRIPT_PATH, content: REPLICATION_INIT_SCRIPT, mode: 0o755 }],
    wait: READY,
    startupTimeoutMs: 120_000,
    dependsOn: [],
    labels: ctx.labels(name),
    url: url(ctx.hostPorts.postgresPrimary),
  };
}

/**
 * Clones the primary (retrying while it finishes its first start), then runs the image's
 * entrypoint, which fixes ownership, drops to the postgres user and starts the standby that
 * `--write-recovery-conf` prepared. gosu is in the Debian images, su-exec in older Alpine ones.
 */
export function replicaScript(settings: readonly string[]): string {
  const primary = SERVICES.postgresPrimary;
  return `set -euo pipefail
as_postgres() { if command -v gosu >/dev/null; then gosu postgres "$@"; else su-exec postgres "$@"; fi; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 0700 "$PGDATA"
  until as_postgres pg_basebackup --host=${primary.alias} --port=${primary.port} --username=${REPLICATION_USER} \\
      --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream --checkpoint=fast --no-password; do
    echo "mmdrill: base backup from ${primary.alias} failed; retrying in 1 s" >&2
    find "$PGDATA" -mindepth 1 -delete
    sleep 1
  done
fi
exec docker-entrypoint.sh postgres ${settings.join(' ')}
`;
}

export function planPostgresReplica(ctx: PlanContext, maxOpenConnsPerNode: number): ContainerPlan {
  const name = SERVICES.postgresReplica.alias;
  const hostPort = ctx.hostPorts.postgresReplica;
  if (hostPort === undefined) throw new Error('a replica needs a host port (hostPorts.postgresReplica)');
  return {
    name,
    kind: 'database-replica',
    containerName: ctx.containerName(name),
    image: ctx.env.containers.images.postgres,
    // pg_basebackup reads PGPASSWORD, and --write-recovery-conf keeps it in primary_conninfo.
    env: { PGPASSWORD: ctx.secrets.replicationPassword },
    entrypoint: ['/bin/bash', '-c'],
    command: [replicaScript(serverSettings(ctx.env.appNodes, maxOpenConnsPerNode))],
    networkAliases: [name],
    published: [{ container: SERVICES.postgresReplica.port, host: hostPort }],
    files: [],
    wait: READY,
    startupTimeoutMs: 180_000,
    dependsOn: [SERVICES.postgresPrimary.alias],
    labels: ctx.labels(name),
    url: url(hostPort),
  };
}
