import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

// The Mattermost series the harness reads, with Mattermost's names and labels.
export class DoubleMetrics {
  readonly registry = new Registry();
  private readonly apiTime: Histogram<'handler' | 'method' | 'status_code'>;
  private readonly requests: Counter;
  private readonly errors: Counter;
  readonly websockets: Gauge;
  private readonly posts: Counter;
  private readonly postBroadcasts: Counter;
  private readonly dbStoreTime: Histogram<'method'>;
  private readonly wsEvents: Counter<'type'>;
  private readonly wsReconnects: Counter<'type'>;
  private readonly clusterMessages: Counter<'direction'>;

  constructor(nodeId: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: nodeId });
    collectDefaultMetrics({ register: this.registry });
    this.apiTime = new Histogram({
      name: 'mattermost_api_time',
      help: 'Time to execute the api handler',
      labelNames: ['handler', 'method', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.requests = new Counter({
      name: 'mattermost_http_requests_total',
      help: 'The total number of http API requests.',
      registers,
    });
    this.errors = new Counter({
      name: 'mattermost_http_errors_total',
      help: 'The total number of http API errors.',
      registers,
    });
    this.websockets = new Gauge({
      name: 'mattermost_http_websockets_total',
      help: 'The total number of websocket connections to this server.',
      registers,
    });
    this.posts = new Counter({
      name: 'mattermost_post_total',
      help: 'The total number of posts created.',
      registers,
    });
    this.postBroadcasts = new Counter({
      name: 'mattermost_post_broadcasts_total',
      help: 'The total number of websocket broadcasts sent because a post was created.',
      registers,
    });
    this.dbStoreTime = new Histogram({
      name: 'mattermost_db_store_time',
      help: 'Time to execute the store method',
      labelNames: ['method'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    });
    this.wsEvents = new Counter({
      name: 'mattermost_websocket_event_total',
      help: 'The total number of websocket events sent.',
      labelNames: ['type'],
      registers,
    });
    this.wsReconnects = new Counter({
      name: 'mattermost_websocket_reconnects_total',
      help: 'The total number of websocket reconnect attempts.',
      labelNames: ['type'],
      registers,
    });
    this.clusterMessages = new Counter({
      name: 'mattermost_cluster_messages_total',
      help: 'Cluster messages sent, received and dropped (unsendable for a minute) through PostgreSQL.',
      labelNames: ['direction'],
      registers,
    });
  }

  observeRequest(handler: string, method: string, status: number, seconds: number): void {
    this.apiTime.observe({ handler, method, status_code: String(status) }, seconds);
    this.requests.inc();
    if (status >= 400) this.errors.inc();
  }

  observeDb(method: string, seconds: number): void {
    this.dbStoreTime.observe({ method }, seconds);
  }

  postCreated(): void {
    this.posts.inc();
  }

  postBroadcast(): void {
    this.postBroadcasts.inc();
  }

  wsEventSent(type: string): void {
    this.wsEvents.inc({ type });
  }

  wsReconnect(type: 'replay' | 'no_replay' | 'new_connection'): void {
    this.wsReconnects.inc({ type });
  }

  clusterMessage(direction: 'sent' | 'received' | 'dropped'): void {
    this.clusterMessages.inc({ direction });
  }
}
