import { EgressSink } from './egress-sink.js';

// Entry point of the egress sink process (see egress-sink.ts). The native provider starts it as
// `node egress-sink-main.js <dnsPort> <a>.<b> <attemptsFile> [uid=component ...]`. SIGUSR1 cuts
// the enclave off (outside names get no answer), SIGUSR2 restores it: the enclave-disconnect
// fault kind sends them. SIGTERM stops it.

const [dnsPort, block, attemptsFile, ...pairs] = process.argv.slice(2);
if (!dnsPort || !block || !attemptsFile) {
  process.stderr.write('usage: egress-sink-main <dnsPort> <a>.<b> <attemptsFile> [uid=component ...]\n');
  process.exit(2);
}
const [a, b] = block.split('.').map(Number) as [number, number];
const components = new Map(
  pairs.map((p) => {
    const [uid, name] = p.split('=');
    return [Number(uid), name ?? `uid ${uid}`] as const;
  }),
);
const sink = new EgressSink({ dnsPort: Number(dnsPort), trapBlock: [a, b], components, attemptsFile });
await sink.start();
process.stdout.write(`egress sink: DNS on 127.0.0.1:${dnsPort}, traps in 127.${a}.${b}.0/24\n`);
process.on('SIGUSR1', () => {
  sink.setPaused(true);
  process.stdout.write('enclave cut off: outside names unanswered\n');
});
process.on('SIGUSR2', () => {
  sink.setPaused(false);
  process.stdout.write('enclave reconnected\n');
});
process.on('SIGTERM', () => void sink.stop().then(() => process.exit(0)));
