#!/usr/bin/env node
// Entry point of the rtcd double: the Calls media server (SFU) the app nodes of the double
// connect to. Started by the native stack and by `mmdrill double --rtcd`; never imported by src/.
import { Command, InvalidArgumentError } from 'commander';
import { jsonLogger } from './double/log.js';
import { RtcdServer } from './rtcd/server.js';

function hostPort(value: string): { host: string; port: number } {
  const match = /^(?:(.+):)?(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new InvalidArgumentError('expected HOST:PORT, e.g. 127.0.0.1:8045');
  return { host: match[1] ?? '127.0.0.1', port };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command('mm-rtcd-double')
  .description('rtcd double: the Calls SFU that app nodes of the Mattermost test double link to')
  .option('--listen <host:port>', 'link (WebSocket /link) and API listener', '127.0.0.1:8045')
  .option('--ice-address <ip>', 'the only address used for ICE candidates', '127.0.0.1')
  .option('--reconnect-window <ms>', 'how long a dropped session waits for reconnect', positiveInt, 10_000)
  .addHelpText('after', '\nSIGTERM or SIGINT stops it; every media session ends.')
  .showHelpAfterError('(run mm-rtcd-double --help for the options)')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse();
const opts = program.opts<{ listen: string; iceAddress: string; reconnectWindow: number }>();
let listen: { host: string; port: number };
try {
  listen = hostPort(opts.listen);
} catch (err) {
  process.stderr.write(`mm-rtcd-double: --listen: ${(err as Error).message}\n`);
  process.exit(2);
}

const server = new RtcdServer(
  {
    listenHost: listen.host,
    listenPort: listen.port,
    iceAddress: opts.iceAddress,
    reconnectWindowMs: opts.reconnectWindow,
    iceServers: [],
  },
  jsonLogger('rtcd'),
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // libwebrtc may crash while tearing down native threads at exit; leave without running it.
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

server.start().catch((err: unknown) => {
  process.stderr.write(
    `mm-rtcd-double: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
