import type { Logger } from '../log.js';
import { newId } from '../model/ids.js';
import type { Database } from '../store/db.js';
import type { ConfigObject } from './defaults.js';

// The server configuration, kept as Mattermost's database configuration store keeps it: one active
// row of the `configurations` table. Every node reads the active row once a second, so a change
// saved through any node (PUT /api/v4/config) reaches all of them, as Mattermost's cluster
// config-changed message does. Readers get the node's last copy synchronously, so hot paths (the
// client config, a post's push notification) never wait on the database.

const POLL_MS = 1_000;

export class ConfigStore {
  private config: ConfigObject;
  private timer: NodeJS.Timeout | null = null;
  private pollFailing = false;

  constructor(
    private readonly db: Database,
    initial: ConfigObject,
    private readonly log: Logger,
  ) {
    this.config = initial;
  }

  /** Stores the initial config unless another node already did, then follows the active row. */
  async start(): Promise<void> {
    await this.db.write(
      'ConfigStore.Init',
      `INSERT INTO configurations (id, value, create_at, active)
       SELECT $1, $2::jsonb, $3, true WHERE NOT EXISTS (SELECT 1 FROM configurations WHERE active)`,
      [newId(), JSON.stringify(this.config), Date.now()],
    );
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().then(
        () => {
          this.pollFailing = false;
        },
        (err: unknown) => {
          if (!this.pollFailing)
            this.log.warn('config not re-read; keeping the last copy', { error: String(err) });
          this.pollFailing = true;
        },
      );
    }, POLL_MS);
    this.timer.unref();
  }

  /** The node's current copy (secrets in clear: never send it to a client as is). */
  current(): ConfigObject {
    return this.config;
  }

  async save(next: ConfigObject): Promise<void> {
    await this.db.write(
      'ConfigStore.Set',
      `WITH off AS (UPDATE configurations SET active = false WHERE active)
       INSERT INTO configurations (id, value, create_at, active) VALUES ($1, $2::jsonb, $3, true)`,
      [newId(), JSON.stringify(next), Date.now()],
    );
    this.config = next;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    const { rows } = await this.db.write<{ value: ConfigObject }>(
      'ConfigStore.Get',
      'SELECT value FROM configurations WHERE active ORDER BY create_at DESC LIMIT 1',
      [],
    );
    if (rows[0]) this.config = rows[0].value;
  }
}
