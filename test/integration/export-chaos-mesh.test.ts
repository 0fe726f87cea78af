import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../../src/common/package-root.js';
import { parseDuration } from '../../src/config/duration.js';
import {
  type ChaosMeshExportResult,
  exportChaosMesh,
} from '../../src/export/chaos-mesh/export-chaos-mesh.js';
import { NetworkChaosSchema, PodChaosSchema, WorkflowSchema } from '../../src/export/chaos-mesh/schema.js';
import { runCli } from '../support/cli.js';
import { CRD_NOT_RUN, crdProblems, itWithCrds } from '../support/crds.js';

// `mmdrill export chaos-mesh` for every shipped fault plan on environments/k8s.yaml: every
// manifest is valid for the official Chaos Mesh CRDs and mmdrill's own schema, the Workflow's
// timing is the plan's timeline, and faults without an equivalent are listed, never dropped.

const REPO = packageRoot();
const ENV = join(REPO, 'environments', 'k8s.yaml');
// disconnected-ops cuts the native egress watch's sink, a component no Kubernetes deployment has:
// its export is refused on the target (tested below), not turned into manifests.
const NATIVE_ONLY = new Set(['disconnected-ops.yaml']);
const PLANS = (await readdir(join(REPO, 'chaos')))
  .filter((f) => f.endsWith('.yaml') && !NATIVE_ONLY.has(f))
  .sort();
const OWN_SCHEMAS = { Workflow: WorkflowSchema, NetworkChaos: NetworkChaosSchema, PodChaos: PodChaosSchema };
const ajv = new Ajv({ allErrors: true, strict: false });

interface Manifest {
  apiVersion: string;
  kind: keyof typeof OWN_SCHEMAS;
  spec: { entry: string; templates: Template[] } & Record<string, unknown>;
}
interface Template {
  name: string;
  templateType: string;
  deadline?: string;
  children?: string[];
}

let dir: string;
const results = new Map<string, ChaosMeshExportResult>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmdrill-export-chaos-'));
  for (const plan of PLANS)
    results.set(
      plan,
      await exportChaosMesh(join(REPO, 'chaos', plan), { envFile: ENV, out: join(dir, plan) }),
    );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('plans for the native stack only', () => {
  it.each([...NATIVE_ONLY])(
    '%s: refused on its egress-sink target, naming file, line and field',
    async (plan) => {
      const out = join(dir, `refused-${plan}`);
      await expect(exportChaosMesh(join(REPO, 'chaos', plan), { envFile: ENV, out })).rejects.toThrow(
        /disconnected-ops\.yaml:\d+:\d+ +faults\[0\]\.target: unknown target "egress-sink"/,
      );
    },
  );
});

async function manifests(plan: string): Promise<Manifest[]> {
  const files = results.get(plan)!.files.filter((f) => f.endsWith('.yaml'));
  const out: Manifest[] = [];
  for (const file of files)
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) out.push(doc.toJS() as Manifest);
  return out;
}

/** Each fault branch of the Workflow: when it starts (its Suspend) and how long it runs (deadline). */
function workflowTimeline(workflow: Manifest): { branch: string; startMs: number; durationMs: number }[] {
  const byName = new Map(workflow.spec.templates.map((t) => [t.name, t]));
  const entry = byName.get(workflow.spec.entry)!;
  expect(entry.templateType).toBe('Parallel');
  return entry.children!.map((branch) => {
    const serial = byName.get(branch)!;
    expect(serial.templateType).toBe('Serial');
    let startMs = 0;
    let durations: number[] = [];
    for (const step of serial.children!) {
      const template = byName.get(step)!;
      if (template.templateType === 'Suspend') startMs += parseDuration(template.deadline!);
      else if (template.templateType === 'Parallel')
        durations = template.children!.map((c) => parseDuration(byName.get(c)!.deadline!));
      else durations = [parseDuration(template.deadline!)];
    }
    expect(new Set(durations).size).toBe(1);
    return { branch, startMs, durationMs: durations[0]! };
  });
}

describe('mmdrill export chaos-mesh', () => {
  it.each(PLANS)('%s: every manifest validates against mmdrill’s schema', async (plan) => {
    const docs = await manifests(plan);
    // ddil-disrupted has only resets and slicing, which Chaos Mesh lacks: nothing to validate there.
    expect(docs.length > 0).toBe(results.get(plan)!.mapped.length > 0);
    for (const doc of docs) {
      expect(doc.apiVersion).toBe('chaos-mesh.org/v1alpha1');
      expect(ajv.validate(OWN_SCHEMAS[doc.kind], doc), `${plan} ${doc.kind}: ${ajv.errorsText()}`).toBe(true);
    }
  });

  itWithCrds.each(PLANS)(
    `%s: every manifest validates against the official Chaos Mesh CRDs${CRD_NOT_RUN}`,
    async (plan) => {
      for (const doc of await manifests(plan)) expect(crdProblems(doc), `${plan} ${doc.kind}`).toEqual([]);
    },
  );

  it.each(PLANS)(
    '%s: each fault starts at its offset and lasts its duration in the Workflow',
    async (plan) => {
      const result = results.get(plan)!;
      const workflow = (await manifests(plan)).find((d) => d.kind === 'Workflow');
      if (result.mapped.length === 0) {
        // Nothing to run in Chaos Mesh: no Workflow, and every fault is listed with its reason.
        expect(workflow).toBeUndefined();
        expect(result.unmapped.length).toBe(result.plan.faults.length);
        return;
      }
      const timeline = workflowTimeline(workflow!);
      expect(timeline.length + result.unmapped.length).toBe(result.plan.faults.length);
      expect(timeline.map(({ startMs, durationMs }) => ({ startMs, durationMs }))).toEqual(
        result.mapped.map((m) => ({ startMs: m.fault.startMs, durationMs: m.fault.durationMs })),
      );
    },
  );

  it('app-node-kill: app-2 killed 20 s in, for 20 s, on one app pod selected by the environment’s labels', async () => {
    const workflow = (await manifests('app-node-kill.yaml')).find((d) => d.kind === 'Workflow')!;
    expect(workflowTimeline(workflow)).toEqual([
      { branch: 'f1-kill-app-2', startMs: 20_000, durationMs: 20_000 },
    ]);
    const kill = workflow.spec.templates.find((t) => t.templateType === 'PodChaos') as unknown as {
      podChaos: Record<string, unknown>;
    };
    expect(kill.podChaos).toEqual({
      action: 'container-kill',
      mode: 'one',
      selector: {
        namespaces: ['mattermost'],
        labelSelectors: {
          'app.kubernetes.io/name': 'mattermost-enterprise-edition',
          'app.kubernetes.io/component': 'server',
        },
      },
      containerNames: ['mattermost-enterprise-edition'],
    });
  });

  it('the DDIL intermittent profile becomes its seeded schedule of partitions, none lost', () => {
    const result = results.get('ddil-intermittent.yaml')!;
    expect(result.plan.faults.length).toBeGreaterThan(3);
    expect(result.unmapped).toEqual([]);
    expect(result.mapped.every((m) => m.experiments[0]!.spec.action === 'partition')).toBe(true);
  });

  it('lists faults without an equivalent, with the reason, in unmapped.json, README.md and on stdout', async () => {
    const plan = join(dir, 'mixed.yaml');
    await writeFile(
      plan,
      [
        'name: mixed',
        'faults:',
        '  - { kind: latency, target: lb-app, latency: 100ms, start: 5s, duration: 10s }',
        '  - { kind: reset_peer, target: users-lb, start: 10s, duration: 5s }',
        '  - { kind: slicer, target: app-db-primary, averageSize: 64, start: 1s, duration: 5s }',
      ].join('\n'),
    );
    const out = join(dir, 'mixed-out');
    const r = await runCli(['export', 'chaos-mesh', plan, '--env', ENV, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const unmapped = JSON.parse(await readFile(join(out, 'unmapped.json'), 'utf8')) as {
      unmapped: { name: string; kind: string; reason: string }[];
    };
    expect(unmapped.unmapped.map((u) => u.kind)).toEqual(['slicer', 'reset_peer']);
    for (const u of unmapped.unmapped) {
      expect(u.reason).toMatch(/Chaos Mesh/);
      expect(r.stdout).toContain(`not exported: ${u.name} (${u.kind}`);
    }
    expect(await readFile(join(out, 'README.md'), 'utf8')).toContain('## Not exported (2)');
    const workflow = parseAllDocuments(
      await readFile(join(out, 'workflow.yaml'), 'utf8'),
    )[0]!.toJS() as Manifest;
    expect(workflowTimeline(workflow)).toEqual([
      { branch: 'f1-latency-lb-app', startMs: 5_000, durationMs: 10_000 },
    ]);
  });

  itWithCrds(`the CRD check catches a manifest Chaos Mesh would reject${CRD_NOT_RUN}`, async () => {
    const workflow = (await manifests('db-latency.yaml')).find((d) => d.kind === 'Workflow')!;
    const broken = structuredClone(workflow) as unknown as {
      apiVersion: string;
      kind: string;
      spec: { templates: { networkChaos?: { delay: { latency: string } } }[] };
    };
    const delay = broken.spec.templates.find((t) => t.networkChaos !== undefined)!.networkChaos!;
    delay.delay.latency = '50 milliseconds';
    expect(crdProblems(broken).join('\n')).toMatch(
      /Workflow\.spec\.templates\[\d+\]\.networkChaos\.delay\.latency: must match pattern/,
    );
  });
});
