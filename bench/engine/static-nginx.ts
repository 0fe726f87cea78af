import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK } from '../../src/common/loopback.js';
import { findNginx } from '../../src/stack/native/binaries.js';
import { isRoot } from '../../src/stack/native/os-user.js';
import { freePort } from '../../src/stack/native/ports.js';
import { ManagedProcess } from '../../src/stack/native/process.js';
import { processGroupMembers } from '../../src/stack/native/procfs.js';
import { Wait } from '../../src/stack/native/wait.js';

// A one-worker NGINX answering `200 ok` to everything: the fixed point both load generators hit.
// The project's NginxLoadBalancer is a load balancer after Mattermost's guide; a static endpoint
// is a benchmark's concern only, so it gets its own three-line server here.

export class StaticNginx {
  private server: ManagedProcess | undefined;
  private assignedPort = 0;

  constructor(
    private readonly dir: string,
    /** The core its worker is pinned to (worker_cpu_affinity), when the machine has more than one. */
    private readonly core = 0,
  ) {}

  get url(): string {
    return `http://${LOOPBACK}:${this.assignedPort}/`;
  }

  /** PIDs of the worker processes (for their CPU time). */
  workers(): number[] {
    const server = this.server;
    if (!server) return [];
    return processGroupMembers(server.pid).filter((pid) => pid !== server.pid);
  }

  async start(): Promise<this> {
    this.assignedPort = await freePort();
    const conf = join(this.dir, 'nginx.conf');
    const affinity =
      availableParallelism() > 1 ? [`worker_cpu_affinity ${(1 << this.core).toString(2)};`] : [];
    await writeFile(
      conf,
      [
        ...(isRoot() ? ['user root root;'] : []),
        'worker_processes 1;',
        ...affinity,
        `pid ${join(this.dir, 'nginx.pid')};`,
        'error_log stderr warn;',
        'events { worker_connections 4096; }',
        'http {',
        '  access_log off;',
        '  keepalive_requests 10000000;',
        `  client_body_temp_path ${join(this.dir, 'client_temp')};`,
        `  proxy_temp_path ${join(this.dir, 'proxy_temp')};`,
        `  fastcgi_temp_path ${join(this.dir, 'fastcgi_temp')};`,
        `  uwsgi_temp_path ${join(this.dir, 'uwsgi_temp')};`,
        `  scgi_temp_path ${join(this.dir, 'scgi_temp')};`,
        `  server { listen ${LOOPBACK}:${this.assignedPort}; location / { return 200 "ok"; } }`,
        '}',
        '',
      ].join('\n'),
    );
    this.server = new ManagedProcess({
      name: 'nginx-static',
      command: findNginx(),
      args: ['-p', `${this.dir}/`, '-c', conf, '-e', 'stderr', '-g', 'daemon off;'],
      cwd: this.dir,
      logFile: join(this.dir, 'nginx.log'),
    });
    await this.server.start();
    await this.server.waitFor(Wait.forHttp(this.url), 10_000);
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop({ signal: 'SIGTERM', timeoutMs: 5_000 });
  }
}
