import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { packageRoot } from '../../common/package-root.js';
import { freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { ProcessComponent } from './process-component.js';
import { Wait } from './wait.js';

/** The compiled entry point of the push-proxy sink (`npm run build` produces it). */
export function pushSinkEntryPoint(): string {
  const entry = join(packageRoot(), 'dist', 'testbed', 'push-sink-main.js');
  if (!existsSync(entry))
    throw new Error(`the push-proxy sink is not built (${entry} is missing): run \`npm run build\``);
  return entry;
}

/**
 * The push-proxy sink: where the native stack's app nodes send push notifications
 * (EmailSettings.PushNotificationServer), in place of a self-hosted push proxy. Its own process,
 * so one sink hears every node and shows in `stack status` with its own log; `GET /received`
 * lists what arrived. Ready when `/version` answers.
 */
export class PushSink extends ProcessComponent {
  readonly name = 'push-sink';
  readonly logFile: string;
  private assignedPort: number | undefined;

  constructor(options: { dir: string }) {
    super();
    this.logFile = join(options.dir, 'push-sink.log');
  }

  get url(): string {
    if (this.assignedPort === undefined) throw new Error('push-sink: no port yet (call start() first)');
    return `http://${LOOPBACK}:${this.assignedPort}`;
  }

  get pid(): number {
    return this.assertStarted().pid;
  }

  async start({ timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<this> {
    this.assignedPort ??= await freePort();
    this.server = new ManagedProcess({
      name: this.name,
      command: process.execPath,
      args: [pushSinkEntryPoint(), '--listen', `${LOOPBACK}:${this.assignedPort}`],
      env: { ...process.env },
      logFile: this.logFile,
    });
    await this.server.start();
    await this.server.waitFor(Wait.forHttp(`${this.url}/version`), timeoutMs);
    return this;
  }
}
