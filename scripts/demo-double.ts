// npm run demo — PostgreSQL (+ replica), versitygw and two nodes of the Mattermost test double in
// a temporary directory; prints where everything is and stops it all on Ctrl-C (or after --minutes).
import { parseArgs } from 'node:util';
import { startDoubleCluster } from '../src/stack/native/double-cluster.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '60' }, nodes: { type: 'string', default: '2' } },
});
const minutes = Number(values.minutes);
const nodes = Number(values.nodes);
if (!(minutes > 0) || !Number.isInteger(nodes) || nodes < 1) {
  process.stderr.write('usage: npm run demo -- [--nodes N] [--minutes M]\n');
  process.exit(2);
}

const cluster = await startDoubleCluster({ nodes, replica: true, objectStore: true });
const lines = [
  `run directory   ${cluster.runDir}`,
  `postgres        ${cluster.postgres.url('mattermost')} (pid ${cluster.postgres.pid})`,
  `replica         ${cluster.replica?.url('mattermost')} (pid ${cluster.replica?.pid})`,
  `object store    ${cluster.objectStore?.endpoint} bucket ${cluster.objectStore?.bucket} (pid ${cluster.objectStore?.pid})`,
  ...cluster.nodes.map(
    (n) => `app node ${n.nodeId}     ${n.url}  metrics ${n.metricsUrl}  log ${n.logFile} (pid ${n.pid})`,
  ),
  '',
  `try: curl -s '${cluster.url}/api/v4/system/ping?get_server_status=true'`,
  `stopping after ${minutes} min, or on Ctrl-C`,
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping…\n');
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setTimeout(() => void stop(), minutes * 60_000);
