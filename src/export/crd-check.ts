import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../common/exit-codes.js';
import { formatPath, pointerToPath } from '../config/config-path.js';

// The manifests mmdrill writes are only useful if the cluster accepts them, and what a cluster
// accepts is the CustomResourceDefinitions it has installed — which differ between Chaos Mesh and
// k6-operator releases. So the check reads CRDs the user supplies (a folder of CRD files, or the
// output of `kubectl get crd … -o yaml`, a `List` of them) and validates each generated object
// against `spec.versions[].schema.openAPIV3Schema`, exactly what the API server does on apply.
// The project's own tests use the same code with the official CRD files as their oracle.

interface CrdDocument {
  kind?: string;
  items?: unknown[];
  spec?: {
    group?: string;
    names?: { kind?: string };
    versions?: { name?: string; schema?: { openAPIV3Schema?: object } }[];
  };
}

/** An object mmdrill writes: what the check needs of it. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
}

/** A CRD rejection of a generated manifest: `file:path: message`. */
export interface CrdProblem {
  file: string;
  path: string;
  message: string;
}

export function formatCrdProblem(p: CrdProblem): string {
  return `${p.file}:${p.path}: ${p.message}`;
}

/** Raised when `--crds` rejects generated manifests: a UsageError (exit 2), one problem per line. */
export class CrdRejection extends UsageError {
  override readonly name = 'CrdRejection';
  constructor(
    readonly problems: readonly CrdProblem[],
    source: string,
  ) {
    super(
      [
        `${problems.length} problem${problems.length === 1 ? '' : 's'}: the CRDs in ${source} reject the generated manifests (nothing was written):`,
        ...problems.map(formatCrdProblem),
      ].join('\n'),
    );
  }
}

// OpenAPI keywords and formats JSON Schema does not know (x-kubernetes-*, int-or-string): tolerated.
function newAjv(): Ajv {
  return new Ajv({ allErrors: true, strict: false, validateFormats: false });
}

/**
 * The CRD schema as `kubectl apply` (strict field validation, the default since Kubernetes 1.27)
 * applies it: a field the schema does not list is an error, unless the object is marked
 * `x-kubernetes-preserve-unknown-fields` or declares `additionalProperties` itself. Without this,
 * a field an older operator release does not know would pass the check and be dropped on apply.
 */
function strictFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictFields);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema))
    out[key] =
      key === 'properties' && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strictFields(sub)]))
        : strictFields(value);
  if (
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  )
    out.additionalProperties = false;
  return out;
}

/** Groups Kubernetes builds in (no dot: `v1`, `apps/v1`): served without CRDs, not checked here. */
function isBuiltIn(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  return slash < 0 || !apiVersion.slice(0, slash).includes('.');
}

function crdFiles(source: string): string[] {
  if (!existsSync(source)) throw new UsageError(`--crds ${source}: no such file or directory`);
  if (!statSync(source).isDirectory()) return [source];
  const files: string[] = [];
  for (const entry of readdirSync(source, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
      files.push(join(entry.parentPath ?? source, entry.name));
  }
  return files.sort();
}

/**
 * The CRDs found in a file or folder, indexed by `group/version kind`. The folder may hold the
 * files of a Chaos Mesh or k6-operator release, or `kubectl get crd NAME… -o yaml > crds.yaml`.
 */
export class CrdCatalogue {
  private readonly schemas = new Map<string, { file: string; schema: object }>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = newAjv();

  constructor(readonly source: string) {
    for (const file of crdFiles(source)) {
      let docs: CrdDocument[];
      try {
        docs = parseAllDocuments(readFileSync(file, 'utf8')).flatMap((d) =>
          'toJS' in d ? [d.toJS() as CrdDocument] : [],
        );
      } catch (error) {
        throw new UsageError(`${file}: not YAML: ${error instanceof Error ? error.message : String(error)}`);
      }
      for (const doc of docs) this.add(file, doc);
    }
    if (this.schemas.size === 0)
      throw new UsageError(
        `--crds ${source}: no CustomResourceDefinition found (expected CRD files, or the output of kubectl get crd NAME -o yaml)`,
      );
  }

  private add(file: string, doc: CrdDocument | null): void {
    if (doc === null || typeof doc !== 'object') return;
    if (doc.kind === 'List' && Array.isArray(doc.items)) {
      for (const item of doc.items) this.add(file, item as CrdDocument);
      return;
    }
    if (doc.kind !== 'CustomResourceDefinition') return;
    const group = doc.spec?.group;
    const kind = doc.spec?.names?.kind;
    for (const version of doc.spec?.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (group === undefined || kind === undefined || version.name === undefined || schema === undefined)
        continue;
      this.schemas.set(`${group}/${version.name} ${kind}`, { file, schema });
    }
  }

  /** Whether the catalogue has a CRD for this kind. */
  has(apiVersion: string, kind: string): boolean {
    return this.schemas.has(`${apiVersion} ${kind}`);
  }

  private validator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion} ${kind}`;
    const cached = this.validators.get(key);
    if (cached !== undefined) return cached;
    const entry = this.schemas.get(key);
    if (entry === undefined) return undefined;
    const validate = this.ajv.compile(strictFields(entry.schema) as object);
    this.validators.set(key, validate);
    return validate;
  }

  /**
   * What the CRD of `object` rejects, each located at `file:path` (`file` is where the object is
   * written). A custom resource whose CRD is missing is a problem too: the cluster would refuse it.
   */
  check(file: string, object: KubernetesManifest): CrdProblem[] {
    if (isBuiltIn(object.apiVersion)) return [];
    const validate = this.validator(object.apiVersion, object.kind);
    if (validate === undefined) {
      const plural = `${object.kind.toLowerCase()}s.${object.apiVersion.split('/')[0]}`;
      return [
        {
          file,
          path: object.kind,
          message: `no CRD for ${object.apiVersion} ${object.kind} in ${this.source} (kubectl get crd ${plural} -o yaml)`,
        },
      ];
    }
    const kind = object.kind;
    if (validate(object as unknown)) return [];
    return (validate.errors ?? []).map((e) => {
      const path = formatPath(pointerToPath(e.instancePath, object));
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
          : e.keyword === 'enum'
            ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
            : '';
      return {
        file,
        path: `${kind}${path === '' ? '' : `.${path}`}`,
        message: `${e.message ?? e.keyword}${extra}`,
      };
    });
  }
}
