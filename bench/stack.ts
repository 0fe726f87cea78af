// npm run bench:stack — wall-clock time of `mmdrill stack up` for the default native topology
// (2 app nodes, PostgreSQL primary + replica, object store, Toxiproxy on every link, NGINX),
// cold (page cache dropped first, where permitted) and warm (median of the next runs); then the
// same for environments/containers-local.yaml (that topology in containers on the images
// `npm run setup:containers` builds) where a container runtime answers and the images exist.
//   node dist/bench/stack.js [--warm-runs 5]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/common/package-root.js';
import { probeContainerRuntime } from '../src/stack/containers/runtime-probe.js';

const { values } = parseArgs({ options: { 'warm-runs': { type: 'string', default: '5' } } });
const warmRuns = Number(values['warm-runs']);
const bin = join(packageRoot(), 'bin', 'mmdrill.js');
const say = (line: string) => process.stdout.write(`${line}\n`);

function mmdrill(
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): { ms: number; code: number | null; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: packageRoot(),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MMDRILL_ADMIN_PASSWORD: 'bench-Passw0rd', ...extraEnv },
  });
  return { ms: performance.now() - t0, code: r.status, stderr: r.stderr };
}

function dropPageCache(): boolean {
  try {
    spawnSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

/** Cold and warm `stack up` (each followed by `stack down`) of one environment file. */
async function benchEnvironment(envFile: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const stateDir = await mkdtemp(join(tmpdir(), 'mmdrill-bench-stack-'));
  const run = (args: string[]) => mmdrill([...args, '--state-dir', stateDir], extraEnv);
  const runs: { kind: 'cold' | 'warm'; ms: number }[] = [];
  try {
    for (let i = 0; i <= warmRuns; i++) {
      const kind = i === 0 ? 'cold' : 'warm';
      const dropped = kind === 'cold' ? dropPageCache() : false;
      const up = run(['stack', 'up', '--env', envFile, '--json']);
      if (up.code !== 0) throw new Error(`stack up failed (exit ${up.code}):\n${up.stderr}`);
      runs.push({ kind, ms: up.ms });
      say(
        `${envFile}: ${kind} stack up: ${(up.ms / 1000).toFixed(2)} s${kind === 'cold' ? (dropped ? ' (page cache dropped)' : ' (page cache NOT dropped: not permitted)') : ''}`,
      );
      const down = run(['stack', 'down']);
      if (down.code !== 0) throw new Error(`stack down failed (exit ${down.code}):\n${down.stderr}`);
    }
  } finally {
    run(['stack', 'down']);
    await rm(stateDir, { recursive: true, force: true });
  }
  const warm = runs
    .filter((r) => r.kind === 'warm')
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)] ?? Number.NaN;
  return {
    env: envFile,
    coldS: Number((runs[0]!.ms / 1000).toFixed(2)),
    warmMedianS: Number((median / 1000).toFixed(2)),
    warmRuns: warm.length,
  };
}

const results = [await benchEnvironment('environments/native.yaml')];
const runtime = await probeContainerRuntime();
if (runtime.available && runtime.dockerHost) {
  // The first run of containers-local says plainly when the images are missing (exit code 1).
  results.push(
    await benchEnvironment('environments/containers-local.yaml', {
      DOCKER_HOST: process.env.DOCKER_HOST ?? runtime.dockerHost,
      TESTCONTAINERS_RYUK_DISABLED: 'true',
    }),
  );
} else {
  say(`environments/containers-local.yaml: not measured: ${runtime.reason} (npm run setup:containers)`);
}
for (const result of results) say(JSON.stringify(result));
