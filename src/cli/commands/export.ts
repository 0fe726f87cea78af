import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { exportChaosMesh } from '../../export/chaos-mesh/export-chaos-mesh.js';
import { CrdCatalogue } from '../../export/crd-check.js';
import { exportK6 } from '../../export/k6/export-k6.js';

// `mmdrill export k6|chaos-mesh`: hand a scenario to k6 / k6-operator and a fault plan to Chaos
// Mesh, for runs beyond one machine (docs/kubernetes.md).

interface K6CommandOptions {
  out: string;
  parallelism: string;
  separate?: boolean;
  env?: string;
  image?: string;
  secret?: string;
  runnerCpu?: string;
  runnerMemory?: string;
  crds?: string;
  json?: boolean;
}

interface ChaosMeshCommandOptions {
  env?: string;
  out: string;
  crds?: string;
  json?: boolean;
}

const CRDS_OPTION = [
  '--crds <path>',
  "check the manifests against your cluster's CRDs before writing: a folder of CRD files, or the output of " +
    '`kubectl get crd NAME… -o yaml` saved to a file',
] as const;

const CRDS_HELP =
  '--crds validates every custom resource against the CRDs your cluster actually has (spec.versions[].schema),\n' +
  'as the API server would on apply; a rejection is printed as file:path: message and nothing is written.\n\n';

function positiveInteger(flag: string, text: string): number {
  if (!/^[1-9][0-9]*$/.test(text))
    throw new UsageError(`${flag}: expected a whole number ≥ 1, got "${text}"`);
  return Number(text);
}

export function registerExportCommands(program: Command): void {
  const exporter = program
    .command('export')
    .summary('export a scenario to k6 / k6-operator, or a fault plan to Chaos Mesh')
    .description(
      'Writes the files that run a drill at scale on Kubernetes: a k6 script and a k6-operator TestRun for ' +
        'the load, Chaos Mesh manifests for the faults. See docs/kubernetes.md.',
    );

  exporter
    .command('k6')
    .summary('write a k6 TypeScript script and a k6-operator TestRun for a scenario')
    .description(
      'Writes DIR/script.ts (k6 >= 0.57, typed with @types/k6): the same executors, user model, action mix and\n' +
        'thresholds as the scenario, post → posted delivery latency as a Trend, and a handleSummary that\n' +
        '`mmdrill report --from-k6` reads back. DIR/testrun.yaml holds a ConfigMap with the script and a\n' +
        "k6-operator TestRun; the users' password (and the URL without --env) comes from the Secret named by\n" +
        '--secret, whose values never pass through mmdrill.\n' +
        CRDS_HELP +
        'Exit codes: 0 written, 2 bad scenario, environment or option, or a manifest the CRDs reject.\n\n' +
        'Examples:\n  mmdrill export k6 scenarios/messaging.yaml --out k8s/messaging --env environments/k8s.yaml --parallelism 4\n' +
        '  kubectl get crd testruns.k6.io -o yaml > crds.yaml\n' +
        '  mmdrill export k6 scenarios/messaging.yaml --out k8s/messaging --crds crds.yaml',
    )
    .argument('<scenario>', 'scenario file (scenarios/*.yaml)')
    .requiredOption('--out <dir>', 'directory to write into')
    .option('--parallelism <n>', 'k6 runner pods (the load is split between them)', '1')
    .option('--separate', 'one runner per node (TestRun spec.separate)')
    .option('--env <file>', 'environment (provider existing, kubernetes section) for the URL and namespaces')
    .option('--image <image>', 'k6 runner image (k6 >= 0.57 runs TypeScript)')
    .option('--secret <name>', 'Secret with MM_USER_PASSWORD (and MM_URL)', 'mmdrill-k6')
    .option('--runner-cpu <quantity>', 'CPU of each runner (request = limit)', '1')
    .option('--runner-memory <quantity>', 'memory of each runner (request = limit)', '1Gi')
    .option(...CRDS_OPTION)
    .option('--json', 'print what was written as JSON')
    .action(async (scenario: string, options: K6CommandOptions) => {
      const result = await exportK6(scenario, {
        out: options.out,
        parallelism: positiveInteger('--parallelism', options.parallelism),
        separate: options.separate === true,
        ...(options.env !== undefined && { envFile: options.env }),
        ...(options.image !== undefined && { image: options.image }),
        ...(options.secret !== undefined && { secretName: options.secret }),
        ...(options.runnerCpu !== undefined && { runnerCpu: options.runnerCpu }),
        ...(options.runnerMemory !== undefined && { runnerMemory: options.runnerMemory }),
        ...(options.crds !== undefined && { crds: new CrdCatalogue(options.crds) }),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      for (const file of result.files) process.stdout.write(`${file}\n`);
      for (const s of result.skippedThresholds)
        process.stdout.write(`not exported: threshold ${s.metric} ${s.expression}: ${s.reason}\n`);
    });

  exporter
    .command('chaos-mesh')
    .summary('write Chaos Mesh manifests (a Workflow) for a fault plan')
    .description(
      "Writes DIR/workflow.yaml (the plan's timeline as a Chaos Mesh Workflow: each fault waits for its start\n" +
        'and lasts its duration), DIR/experiments/*.yaml (each experiment on its own), DIR/README.md and\n' +
        'DIR/unmapped.json: the faults with no Chaos Mesh equivalent, with the reason (also printed here).\n' +
        "Pods are selected with the labels of the environment's kubernetes section (environments/k8s.yaml).\n" +
        CRDS_HELP +
        'Exit codes: 0 written, 2 bad plan, environment or option, or a manifest the CRDs reject.\n\n' +
        'Examples:\n  mmdrill export chaos-mesh chaos/ddil-limited-satcom.yaml --env environments/k8s.yaml --out k8s/chaos\n' +
        '  kubectl get crd workflows.chaos-mesh.org networkchaos.chaos-mesh.org podchaos.chaos-mesh.org -o yaml > crds.yaml\n' +
        '  mmdrill export chaos-mesh chaos/db-latency.yaml --env environments/k8s.yaml --out k8s/chaos --crds crds.yaml',
    )
    .argument('<plan>', 'fault plan (chaos/*.yaml)')
    .option('--env <file>', 'environment with a kubernetes section (required)')
    .requiredOption('--out <dir>', 'directory to write into')
    .option(...CRDS_OPTION)
    .option('--json', 'print what was written as JSON')
    .action(async (plan: string, options: ChaosMeshCommandOptions) => {
      if (options.env === undefined)
        throw new UsageError(
          '--env is required: the environment file with the kubernetes section (e.g. --env environments/k8s.yaml)',
        );
      const result = await exportChaosMesh(plan, {
        envFile: options.env,
        out: options.out,
        ...(options.crds !== undefined && { crds: new CrdCatalogue(options.crds) }),
      });
      if (options.json) {
        const { plan: loaded, mapped, ...rest } = result;
        process.stdout.write(
          `${JSON.stringify({ ...rest, plan: loaded.name, mapped: mapped.map((m) => ({ name: m.fault.name, kinds: m.experiments.map((e) => e.kind), notes: m.notes })) }, null, 2)}\n`,
        );
        return;
      }
      for (const file of result.files) process.stdout.write(`${file}\n`);
      for (const u of result.unmapped)
        process.stdout.write(`not exported: ${u.name} (${u.kind} on ${u.target}): ${u.reason}\n`);
    });
}
