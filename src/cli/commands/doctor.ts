import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode } from '../../common/exit-codes.js';
import { loadEnvironmentFile } from '../../stack/environment-file.js';
import { checkNativeBinaries, INSTALL_HINTS } from '../../stack/native/binaries.js';
import { doubleEntryPoint } from '../../stack/native/double-node.js';
import { defaultEnvironmentFile } from '../defaults.js';
import { colour, table } from '../output.js';

interface Check {
  component: string;
  ok: boolean;
  detail: string;
  install?: string;
}

const MIN_NODE = [20, 18] as const;

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .summary('check that everything an environment needs is installed')
    .description(
      'Lists each component the environment needs, whether it is present, and the exact command that\n' +
        'installs it. `npm run setup` installs all the missing native ones. Exit code 0 when everything\n' +
        'is present, 2 otherwise.\n\nExample:\n  mmdrill doctor --env environments/native.yaml',
    )
    .option('--env <file>', 'environment file', defaultEnvironmentFile())
    .option('--json', 'machine-readable output')
    .action(async (options: { env: string; json?: boolean }) => {
      const env = await loadEnvironmentFile(options.env, { checkPorts: false });
      const checks: Check[] = [nodeCheck()];
      if (env.provider === 'native') {
        checks.push(buildCheck());
        for (const status of checkNativeBinaries()) {
          checks.push({
            component: status.component,
            ok: status.path !== undefined,
            detail: status.path ?? status.problem ?? '',
            install: status.path ? undefined : INSTALL_HINTS[status.component],
          });
        }
      } else if (env.provider === 'containers') {
        const { probeContainerRuntime } = await import('../../stack/containers/runtime-probe.js');
        const runtime = await probeContainerRuntime();
        checks.push({
          component: 'container runtime',
          ok: runtime.available,
          detail: runtime.reason,
          install: runtime.available
            ? undefined
            : 'install Docker or Podman and export DOCKER_HOST=unix:///run/podman/podman.sock',
        });
      } else {
        const reachable = await fetch(`${env.existing.url.replace(/\/$/, '')}/api/v4/system/ping`, {
          signal: AbortSignal.timeout(5_000),
        }).then(
          (r) => `HTTP ${r.status}`,
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
        checks.push({
          component: 'deployment',
          ok: reachable === 'HTTP 200',
          detail: `${env.existing.url}: ${reachable}`,
        });
      }
      const ok = checks.every((c) => c.ok);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ environment: env.name, provider: env.provider, ok, checks }, null, 2)}\n`,
        );
      } else {
        const rows = checks.map((c) => [
          c.component,
          c.ok ? colour.ok('present') : colour.bad('missing'),
          c.ok ? c.detail : (c.install ?? c.detail),
        ]);
        process.stdout.write(`${table(['component', 'status', 'path / install with'], rows)}\n`);
        if (!ok) process.stdout.write(`\nInstall the missing native components with: npm run setup\n`);
      }
      process.exitCode = ok ? ExitCode.ok : ExitCode.usage;
    });
}

function nodeCheck(): Check {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    component: 'node',
    ok,
    detail: `v${process.versions.node} (needs ≥ ${MIN_NODE.join('.')})`,
    install: ok ? undefined : 'install Node.js 20.18 or newer',
  };
}

function buildCheck(): Check {
  try {
    const entry = doubleEntryPoint();
    return { component: 'test double (built)', ok: existsSync(entry), detail: entry };
  } catch (err) {
    return {
      component: 'test double (built)',
      ok: false,
      detail: (err as Error).message,
      install: 'npm run build',
    };
  }
}
