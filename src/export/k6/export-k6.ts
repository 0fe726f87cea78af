import { mmdrillVersion } from '../../common/package-root.js';
import { parseDuration } from '../../config/duration.js';
import { DEFAULT_RATES } from '../../load/behaviours/user-pace.js';
import { loadScenarioFile, type ScenarioFile } from '../../load/scenario.js';
import { ActionMix } from '../../mattermost/actions/action-mix.js';
import type { UserActionName } from '../../mattermost/actions/catalogue.js';
import { REPLY_SHARE } from '../../mattermost/actions/create-post.js';
import { WORDS } from '../../mattermost/message-text.js';
import { resolveShape } from '../../seed/shape.js';
import type { Environment } from '../../stack/environment.js';
import { loadEnvironmentFile } from '../../stack/environment-file.js';
import type { CrdCatalogue, KubernetesManifest } from '../crd-check.js';
import { OutputDirectory } from '../write-output.js';
import { type K6OptionsResult, k6Options } from './k6-options.js';
import { renderK6Script, type ScriptData } from './script.js';
import { DEFAULT_K6_IMAGE, SCRIPT_FILE, testRunManifests } from './testrun.js';

// `mmdrill export k6`: the scenario as a k6 script, and the k6-operator objects that run it.

export interface K6ExportOptions {
  out: string;
  parallelism: number;
  separate: boolean;
  envFile?: string;
  image?: string;
  secretName?: string;
  runnerCpu?: string;
  runnerMemory?: string;
  /** CRDs to check the TestRun against before anything is written (`--crds`). */
  crds?: CrdCatalogue;
}

export interface K6ExportResult {
  files: string[];
  skippedThresholds: K6OptionsResult['skippedThresholds'];
  testRunName: string;
  namespace: string;
}

export const DEFAULT_RUNNER_LABELS = {
  'app.kubernetes.io/part-of': 'mmdrill',
  'mmdrill.io/role': 'load-generator',
};

async function scriptData(
  file: ScenarioFile,
  scenarioPath: string,
  env: Environment | undefined,
): Promise<ScriptData> {
  const model = file.userModel;
  const weights =
    model.mix === 'production' ? undefined : (model.mix as Partial<Record<UserActionName, number>>);
  const mix = new ActionMix({
    ...(weights !== undefined && { weights }),
    ...(model.only !== undefined && { only: model.only }),
    fileUploads: env === undefined ? true : env.objectStore.enabled,
  });
  let cumulative = 0;
  const actions = Object.entries(mix.shares()).map(([name, share]) => {
    cumulative += share;
    return { name, cumulative: Math.round(cumulative * 1e9) / 1e9 };
  });
  const shape = file.seed === 'none' ? null : await resolveShape(file.seed);
  return {
    scenario: { name: file.name, file: scenarioPath, scenarios: Object.keys(file.scenarios) },
    environment: env?.name ?? 'kubernetes',
    mix: { actions, total: cumulative },
    idle: { minMs: parseDuration(model.idle.min), avgMs: parseDuration(model.idle.avg) },
    rates: DEFAULT_RATES,
    statusIntervalMs: parseDuration(model.statusInterval),
    reconnect: {
      minRetryMs: parseDuration(model.reconnect.minRetry),
      jitterMs: parseDuration(model.reconnect.jitter),
    },
    replyShare: REPLY_SHARE,
    users: shape === null ? null : { prefix: shape.prefix ?? shape.name, count: shape.users },
    words: WORDS,
  };
}

/** Writes script.ts and testrun.yaml (ConfigMap + TestRun) into options.out. */
export async function exportK6(scenarioPath: string, options: K6ExportOptions): Promise<K6ExportResult> {
  const file = await loadScenarioFile(scenarioPath);
  const env = options.envFile === undefined ? undefined : await loadEnvironmentFile(options.envFile);
  const k6 = k6Options(file);
  const script = renderK6Script(await scriptData(file, scenarioPath, env), k6, mmdrillVersion());
  const k8s = env?.kubernetes;
  const namespace = k8s?.loadGenerators.namespace ?? 'mmdrill';
  const { configMap, testRun } = testRunManifests({
    scenarioName: file.name,
    script,
    namespace,
    parallelism: options.parallelism,
    separate: options.separate,
    image: options.image ?? DEFAULT_K6_IMAGE,
    runnerLabels: k8s?.loadGenerators.labels ?? DEFAULT_RUNNER_LABELS,
    resources: {
      requests: { cpu: options.runnerCpu ?? '1', memory: options.runnerMemory ?? '1Gi' },
      limits: { cpu: options.runnerCpu ?? '1', memory: options.runnerMemory ?? '1Gi' },
    },
    url: env?.provider === 'existing' ? env.existing.url : undefined,
    secretName: options.secretName ?? 'mmdrill-k6',
  });
  const out = new OutputDirectory(options.out);
  out.add(SCRIPT_FILE, script);
  out.addManifests('testrun.yaml', [configMap, testRun] as KubernetesManifest[]);
  await out.commit(options.crds);
  return {
    files: out.written,
    skippedThresholds: k6.skippedThresholds,
    testRunName: (testRun as { metadata: { name: string } }).metadata.name,
    namespace,
  };
}
