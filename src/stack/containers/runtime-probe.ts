import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

// Does a Docker-compatible container runtime answer here? Asked before the containers provider
// is used (`mmdrill doctor`, the live test), so that a missing runtime is reported plainly
// instead of as a Testcontainers stack trace.

export interface RuntimeProbe {
  available: boolean;
  /** What was found or tried, for a person to read. */
  reason: string;
  /** The endpoint that answered, as a DOCKER_HOST value (set it for Testcontainers if unset). */
  dockerHost?: string;
}

export interface ProbeOptions {
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per endpoint; default 1.5 s. */
  timeoutMs?: number;
}

type Endpoint =
  | { dockerHost: string; socketPath: string }
  | { dockerHost: string; host: string; port: number };

/** Sockets Docker and Podman listen on by default (rootful, then rootless). */
function defaultSockets(env: NodeJS.ProcessEnv): string[] {
  const sockets = ['/var/run/docker.sock', '/run/podman/podman.sock'];
  if (env.XDG_RUNTIME_DIR) {
    sockets.push(
      join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'),
      join(env.XDG_RUNTIME_DIR, 'docker.sock'),
    );
  }
  return sockets;
}

function parseDockerHost(value: string): Endpoint | string {
  if (value.startsWith('unix://')) return { dockerHost: value, socketPath: value.slice('unix://'.length) };
  const tcp = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(value);
  if (tcp) return { dockerHost: value, host: tcp[1]!, port: Number(tcp[2]) };
  return `DOCKER_HOST=${value} is neither unix:// nor tcp://host:port`;
}

/** GET /_ping: Docker and Podman's API both answer "OK". */
function ping(endpoint: Endpoint, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const target = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : endpoint;
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve(res.statusCode === 200 ? null : `/_ping answered ${res.statusCode} ${body.trim()}`),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
}

export async function probeContainerRuntime(options: ProbeOptions = {}): Promise<RuntimeProbe> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 1_500;
  const candidates: Endpoint[] = [];
  const tried: string[] = [];
  if (env.DOCKER_HOST) {
    if (env.DOCKER_TLS_VERIFY) {
      return {
        available: false,
        reason: `DOCKER_HOST=${env.DOCKER_HOST} uses TLS, which this probe does not speak`,
      };
    }
    const parsed = parseDockerHost(env.DOCKER_HOST);
    if (typeof parsed === 'string') return { available: false, reason: parsed };
    candidates.push(parsed);
  } else {
    for (const socketPath of defaultSockets(env)) {
      if (existsSync(socketPath)) candidates.push({ dockerHost: `unix://${socketPath}`, socketPath });
      else tried.push(`${socketPath} absent`);
    }
  }
  for (const endpoint of candidates) {
    const failure = await ping(endpoint, timeoutMs);
    if (failure === null) {
      return {
        available: true,
        reason: `container runtime at ${endpoint.dockerHost} answers`,
        dockerHost: endpoint.dockerHost,
      };
    }
    tried.push(`${endpoint.dockerHost}: ${failure}`);
  }
  const where = env.DOCKER_HOST ? '' : 'DOCKER_HOST unset; ';
  return { available: false, reason: `no container runtime answers (${where}${tried.join('; ')})` };
}
