import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';

// nginx.conf for the load balancer in front of the app nodes, after Mattermost's HA guidance
// (docs.mattermost.com, "High availability cluster": NGINX configuration).

export interface NginxTuning {
  /** `worker_processes`; default 1. Each worker keeps its own round-robin position and keepalive pool. */
  workerProcesses?: number | 'auto';
  /** Per worker; a proxied WebSocket holds two. Default 4096. */
  workerConnections?: number;
  /** nginx size syntax; default '100M' (Mattermost's guidance). Larger bodies get 413. */
  clientMaxBodySize?: string;
  /** Default 90 (Mattermost's HA guidance). */
  proxyReadTimeoutSeconds?: number;
  /** Default 90 (Mattermost's HA guidance). */
  proxyConnectTimeoutSeconds?: number;
  /** Idle keepalive connections to the app nodes, per worker; default 64. */
  keepaliveConnections?: number;
  /** Passive health: failures within `failTimeoutSeconds` that take a node out for that long. Default 1. */
  maxFails?: number;
  /** Default 10 (nginx's default). */
  failTimeoutSeconds?: number;
}

export interface NginxConfigInput extends NginxTuning {
  /** Run directory: temp paths, pid, access log. */
  dir: string;
  port: number;
  /** Local port of the health and stub_status endpoints. */
  statusPort: number;
  /** App nodes as host:port, in order. */
  upstreams: readonly string[];
  /** Echoed by /nginx-health, so a reload can be seen to have taken effect. */
  generation: number;
  /** Set when nginx runs as root (see renderNginxConfig). */
  workerUser?: string;
  /** Address both servers listen on; default 127.0.0.1 (a container listens on all of its own). */
  listenAddress?: string;
  /** Access log path; default access.log in `dir` (a container logs to /dev/stdout). */
  accessLog?: string;
}

/** Where renderNginxConfig puts nginx's files inside the run directory. */
export function nginxPaths(dir: string) {
  return {
    conf: join(dir, 'nginx.conf'),
    pid: join(dir, 'nginx.pid'),
    lock: join(dir, 'nginx.lock'),
    accessLog: join(dir, 'access.log'),
    temp: join(dir, 'temp'),
  };
}

/** The fields each access-log line carries (JSON, one object a line). */
export const ACCESS_LOG_FIELDS = {
  time: '$time_iso8601',
  msec: '$msec',
  remote_addr: '$remote_addr',
  method: '$request_method',
  uri: '$request_uri',
  status: '$status',
  bytes_sent: '$body_bytes_sent',
  request_time: '$request_time',
  // Comma-separated when nginx tried more than one node (passive failover): "a, b".
  upstream_addr: '$upstream_addr',
  upstream_status: '$upstream_status',
  upstream_connect_time: '$upstream_connect_time',
  upstream_response_time: '$upstream_response_time',
} as const;

const UPSTREAM_ADDRESS = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;
const NGINX_SIZE = /^\d+[kKmMgG]?$/;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`nginx: ${name} must be a positive integer, not ${value}`);
  return value;
}

function validated(input: NginxConfigInput) {
  // Paths go into the config unquoted; these characters would end a directive or a block.
  if (/[\s;{}'"$\\]/.test(input.dir))
    throw new Error(`nginx: run directory '${input.dir}' has characters nginx.conf cannot carry`);
  for (const [what, value] of [
    ['access log', input.accessLog],
    ['listen address', input.listenAddress],
  ]) {
    if (value !== undefined && /[\s;{}'"$\\]/.test(value))
      throw new Error(`nginx: ${what} '${value}' has characters nginx.conf cannot carry`);
  }
  if (input.upstreams.length === 0) throw new Error('nginx: at least one upstream server is needed');
  for (const address of input.upstreams) {
    if (!UPSTREAM_ADDRESS.test(address)) throw new Error(`nginx: upstream '${address}' is not host:port`);
  }
  const clientMaxBodySize = input.clientMaxBodySize ?? '100M';
  if (!NGINX_SIZE.test(clientMaxBodySize))
    throw new Error(`nginx: clientMaxBodySize '${clientMaxBodySize}' is not an nginx size (e.g. 100M)`);
  const workers = input.workerProcesses ?? 1;
  return {
    workerProcesses: workers === 'auto' ? 'auto' : String(positiveInteger('workerProcesses', workers)),
    workerConnections: positiveInteger('workerConnections', input.workerConnections ?? 4096),
    clientMaxBodySize,
    readTimeout: positiveInteger('proxyReadTimeoutSeconds', input.proxyReadTimeoutSeconds ?? 90),
    connectTimeout: positiveInteger('proxyConnectTimeoutSeconds', input.proxyConnectTimeoutSeconds ?? 90),
    keepalive: positiveInteger('keepaliveConnections', input.keepaliveConnections ?? 64),
    maxFails: positiveInteger('maxFails', input.maxFails ?? 1),
    failTimeout: positiveInteger('failTimeoutSeconds', input.failTimeoutSeconds ?? 10),
  };
}

/** Headers and buffers both locations share (Mattermost's guidance sets them in each). */
function sharedProxySettings(t: ReturnType<typeof validated>): string[] {
  return [
    `client_max_body_size ${t.clientMaxBodySize};`,
    'proxy_set_header Host $http_host;',
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
    'proxy_set_header X-Frame-Options SAMEORIGIN;',
    'proxy_buffers 256 16k;',
    'proxy_buffer_size 16k;',
    'client_body_timeout 60s;',
    'send_timeout 300s;',
    'lingering_timeout 5s;',
    `proxy_connect_timeout ${t.connectTimeout}s;`,
    'proxy_send_timeout 300s;',
    `proxy_read_timeout ${t.readTimeout}s;`,
    'proxy_http_version 1.1;',
    // A node that refuses, resets or times out before answering is skipped. nginx never resends
    // a non-idempotent request (POST) once it reached a node, so no post is created twice.
    'proxy_next_upstream error timeout;',
    'proxy_pass http://backend;',
  ];
}

function block(header: string, lines: readonly string[], indent = '  '): string[] {
  return [`${header} {`, ...lines.map((line) => `${indent}${line}`), '}'];
}

/**
 * nginx.conf with everything nginx writes (temp files, pid, logs) inside `dir`, so it needs
 * nothing from /var/lib/nginx or /run. The error log goes to stderr, i.e. the process log.
 */
export function renderNginxConfig(input: NginxConfigInput): string {
  const t = validated(input);
  const paths = nginxPaths(input.dir);
  const logFormat = Object.entries(ACCESS_LOG_FIELDS)
    .map(([key, variable]) => `"${key}":"${variable}"`)
    .join(',');
  const upstream = block('upstream backend', [
    // Plain round-robin, no sticky sessions (Mattermost's HA guidance). Open-source nginx has no
    // active health checks: a node is marked down only after max_fails real requests failed.
    ...input.upstreams.map(
      (address) => `server ${address} max_fails=${t.maxFails} fail_timeout=${t.failTimeout}s;`,
    ),
    `keepalive ${t.keepalive};`,
  ]);
  const listenAddress = input.listenAddress ?? LOOPBACK;
  const app = block('server', [
    `listen ${listenAddress}:${input.port};`,
    `access_log ${input.accessLog ?? paths.accessLog} mmdrill;`,
    ...block('location ~ /api/v[0-9]+/(users/)?websocket$', [
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection "upgrade";',
      ...sharedProxySettings(t),
    ]),
    ...block('location /', [
      // An empty Connection header lets nginx reuse upstream connections (keepalive).
      'proxy_set_header Connection "";',
      ...sharedProxySettings(t),
    ]),
  ]);
  const status = block('server', [
    `listen ${listenAddress}:${input.statusPort};`,
    'access_log off;',
    `location = /nginx-health { default_type text/plain; return 200 "generation ${input.generation}\\n"; }`,
    'location = /nginx-status { stub_status; }',
    'location / { return 404; }',
  ]);
  const http = block('http', [
    'default_type application/octet-stream;',
    'server_tokens off;',
    `client_body_temp_path ${join(paths.temp, 'client_body')};`,
    `proxy_temp_path ${join(paths.temp, 'proxy')};`,
    `fastcgi_temp_path ${join(paths.temp, 'fastcgi')};`,
    `uwsgi_temp_path ${join(paths.temp, 'uwsgi')};`,
    `scgi_temp_path ${join(paths.temp, 'scgi')};`,
    `log_format mmdrill escape=json '{${logFormat}}';`,
    ...upstream,
    ...app,
    ...status,
  ]);
  return [
    `# Written by mmdrill (generation ${input.generation}); edits are overwritten on reload.`,
    ...(input.workerUser ? [`user ${input.workerUser};`] : []),
    `worker_processes ${t.workerProcesses};`,
    // Each connection is a descriptor, a proxied one two; a soft limit of 1024 caps load tests early.
    `worker_rlimit_nofile ${2 * t.workerConnections + 64};`,
    `pid ${paths.pid};`,
    `lock_file ${paths.lock};`,
    'error_log stderr notice;',
    ...block('events', [`worker_connections ${t.workerConnections};`]),
    ...http,
    '',
  ].join('\n');
}
