import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CallsPlugin } from './calls/plugin.js';
import { registerCallsRoutes } from './calls/routes.js';
import { ClusterBus } from './cluster/bus.js';
import type { DoubleConfig } from './config.js';
import { ObjectStore } from './files/object-store.js';
import { CapacityGate } from './http/capacity-gate.js';
import { RateLimiter } from './http/rate-limit.js';
import { ApiRouter, writeJson } from './http/router.js';
import { LinkPreviewer } from './link-previews.js';
import { jsonLogger, type Logger } from './log.js';
import { DoubleMetrics } from './metrics.js';
import { initialConfig } from './mm-config/initial.js';
import { ConfigStore } from './mm-config/store.js';
import type { WsEvent } from './model/types.js';
import { registerRoutes } from './routes.js';
import type { Services } from './services.js';
import { Database } from './store/db.js';
import { ensureSchema } from './store/schema.js';
import { SessionStore } from './store/sessions.js';
import { withDriftModes } from './unsafe-drift.js';
import type { EventPublisher } from './ws/broadcast.js';
import { WebSocketHub } from './ws/hub.js';

const WEBSOCKET_PATH = /^\/api\/v[0-9]+\/(users\/)?websocket$/;

/** One app node of the double: API, WebSocket hub, cluster bus and metrics listener. */
export class DoubleNode {
  readonly services: Services;
  private readonly hub: WebSocketHub;
  private readonly bus: ClusterBus;
  private readonly server: Server;
  private metricsServer: Server | null = null;
  private readonly log: Logger;

  constructor(readonly config: DoubleConfig) {
    this.log = jsonLogger(config.nodeId);
    const metrics = new DoubleMetrics(config.nodeId);
    const db = new Database(
      {
        primaryUrl: config.databaseUrl,
        replicaUrl: config.replicaUrl,
        queryTimeoutMs: config.queryTimeoutMs,
        maxConnections: config.dbMaxConnections,
      },
      metrics,
      (msg) => this.log.warn(msg),
    );
    const publisher: EventPublisher = { publish: (event) => this.publish(event) };
    this.services = {
      config,
      db,
      files: config.objectStore ? new ObjectStore(config.objectStore) : null,
      sessions: new SessionStore(db),
      events: publisher,
      metrics,
      rateLimiter: config.rateLimit ? new RateLimiter(config.rateLimit) : null,
      capacityGate: config.capacityLimit ? new CapacityGate(config.capacityLimit) : null,
      calls: config.calls ? new CallsPlugin(config.calls, config.nodeId, publisher, this.log) : null,
      linkPreviews: config.linkPreviews ? new LinkPreviewer(config.linkPreviews.dnsServer, this.log) : null,
      log: this.log,
      mmConfig: new ConfigStore(db, initialConfig(config), this.log),
    };
    this.hub = new WebSocketHub(this.services);
    this.bus = new ClusterBus(config.databaseUrl, config.nodeId, metrics, this.log);
    const api = new ApiRouter(this.services);
    registerRoutes(api);
    if (this.services.calls) registerCallsRoutes(api);
    this.server = createServer(withDriftModes((req, res) => api.handle(req, res), config.unsafe));
    this.server.keepAliveTimeout = 65_000;
    this.server.on('upgrade', (req, socket: Duplex, head) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (!WEBSOCKET_PATH.test(path)) {
        socket.destroy();
        return;
      }
      this.hub.handleUpgrade(req, socket, head);
    });
  }

  private publish(event: WsEvent): void {
    if (this.config.unsafe.has('drop-events')) return;
    this.hub.deliver(event);
    this.bus.send(event);
  }

  /** Waits for the database (up to `startupTimeoutMs`), creates the schema, then listens. */
  async start(startupTimeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + startupTimeoutMs;
    for (;;) {
      try {
        await ensureSchema(this.services.db.primary);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        this.log.warn('database not ready; retrying', { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await this.services.mmConfig.start();
    await this.bus.start((event) => this.hub.deliver(event));
    this.services.calls?.start();
    await listen(this.server, this.config.listenHost, this.config.listenPort);
    if (this.config.metricsPort !== undefined) {
      const registry = this.services.metrics.registry;
      this.metricsServer = createServer((req, res) => {
        if ((req.url ?? '').split('?')[0] !== '/metrics') {
          writeJson(res, 404, { status: 'not found' });
          return;
        }
        registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'Content-Type': registry.contentType });
            res.end(text);
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      });
      await listen(this.metricsServer, this.config.metricsHost ?? '127.0.0.1', this.config.metricsPort);
    }
    this.log.info('double node started', {
      listen: `${this.config.listenHost}:${this.port}`,
      replica: Boolean(this.config.replicaUrl),
      object_store: Boolean(this.config.objectStore),
    });
  }

  get port(): number {
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : this.config.listenPort;
  }

  /** Graceful stop: no new requests, in-flight ones finish, sockets close with 1001. */
  async stop(): Promise<void> {
    this.log.info('double node stopping');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await this.hub.close();
    await this.services.calls?.close();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.metricsServer ? this.metricsServer.close(() => resolve()) : resolve(),
    );
    this.services.mmConfig.close();
    await this.bus.close();
    await this.services.db.close();
    this.services.files?.close();
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
