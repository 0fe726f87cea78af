import { formatDuration } from '../../config/duration.js';
import { kubernetesName, mmdrillLabels } from '../manifest-schema.js';
import type { ChaosExperiment, ChaosKind, MappedFault } from './fault-mapping.js';

// The plan's timeline as one Chaos Mesh Workflow: a Parallel entry with one Serial branch per
// fault — a Suspend as long as the fault's start offset, then the fault's experiments with a
// deadline as long as the fault. Applied when the load starts, each fault starts at its `at`.
// Also each experiment as a stand-alone object (with `duration`), to apply one by hand.

export const API_VERSION = 'chaos-mesh.org/v1alpha1';

const SPEC_FIELD: Readonly<Record<ChaosKind, string>> = {
  NetworkChaos: 'networkChaos',
  PodChaos: 'podChaos',
};

/** Go duration for deadlines and durations (`1m30s`, `500ms`). */
export const goDuration = (ms: number) => formatDuration(ms);

export interface WorkflowTemplate {
  name: string;
  templateType: string;
  deadline?: string;
  children?: string[];
  [field: string]: unknown;
}

/** Template names of each fault: its branch, its wait, its run and its experiments. */
export function faultTemplateName(index: number, fault: MappedFault): string {
  return kubernetesName(`f${index + 1}-${fault.fault.name}`, 40);
}

function experimentName(base: string, experiment: ChaosExperiment): string {
  return experiment.part === '' ? `${base}-run` : `${base}-${experiment.part}`;
}

export function buildWorkflow(planName: string, namespace: string, faults: readonly MappedFault[]): object {
  const branches: string[] = [];
  const templates: WorkflowTemplate[] = [];
  faults.forEach((mapped, index) => {
    const base = faultTemplateName(index, mapped);
    const deadline = goDuration(mapped.fault.durationMs);
    const steps: string[] = [];
    if (mapped.fault.startMs > 0) {
      templates.push({
        name: `${base}-wait`,
        templateType: 'Suspend',
        deadline: goDuration(mapped.fault.startMs),
      });
      steps.push(`${base}-wait`);
    }
    const runs = mapped.experiments.map((experiment) => {
      const name = experimentName(base, experiment);
      templates.push({
        name,
        templateType: experiment.kind,
        deadline,
        [SPEC_FIELD[experiment.kind]]: experiment.spec,
      });
      return name;
    });
    if (runs.length === 1) steps.push(runs[0]!);
    else {
      templates.push({ name: `${base}-all`, templateType: 'Parallel', children: runs });
      steps.push(`${base}-all`);
    }
    templates.push({ name: base, templateType: 'Serial', children: steps });
    branches.push(base);
  });
  return {
    apiVersion: API_VERSION,
    kind: 'Workflow',
    metadata: {
      name: kubernetesName(`mmdrill-${planName}`),
      namespace,
      labels: mmdrillLabels({ 'mmdrill.io/plan': kubernetesName(planName) }),
    },
    spec: {
      entry: 'timeline',
      templates: [{ name: 'timeline', templateType: 'Parallel', children: branches }, ...templates],
    },
  };
}

/** Each experiment as its own object, lasting the fault's duration once applied. */
export function standaloneExperiments(planName: string, namespace: string, faults: readonly MappedFault[]) {
  return faults.flatMap((mapped, index) => {
    const base = faultTemplateName(index, mapped);
    return mapped.experiments.map((experiment) => ({
      file: `${experimentName(base, experiment)}.yaml`,
      object: {
        apiVersion: API_VERSION,
        kind: experiment.kind,
        metadata: {
          name: kubernetesName(`${kubernetesName(planName, 20)}-${experimentName(base, experiment)}`),
          namespace,
          labels: mmdrillLabels({ 'mmdrill.io/plan': kubernetesName(planName), 'mmdrill.io/fault': base }),
        },
        spec: {
          ...experiment.spec,
          // A pod kill is one-shot; everything else lasts the fault's duration.
          ...(experiment.kind === 'NetworkChaos' && { duration: goDuration(mapped.fault.durationMs) }),
        },
      },
    }));
  });
}
