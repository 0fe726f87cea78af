import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { type CrdCatalogue, type CrdProblem, CrdRejection, type KubernetesManifest } from './crd-check.js';

// Writing an export's files: YAML documents (one or several per file) and text, under --out.
// Files are staged first and written together, so that a CRD check (`--crds`) that rejects one
// manifest leaves nothing half-written behind.

/** Kubernetes YAML: several objects in one file, separated by `---`, no line folding. */
export function yamlDocuments(objects: readonly object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

export class OutputDirectory {
  readonly written: string[] = [];
  private readonly staged: { path: string; text: string; objects: readonly KubernetesManifest[] }[] = [];
  constructor(readonly dir: string) {}

  /** Stages a text file. */
  add(file: string, text: string): void {
    this.staged.push({ path: join(this.dir, file), text, objects: [] });
  }

  /** Stages Kubernetes objects as one YAML file; they are what `commit(crds)` checks. */
  addManifests(file: string, objects: readonly KubernetesManifest[]): void {
    this.staged.push({ path: join(this.dir, file), text: yamlDocuments(objects), objects });
  }

  /** Checks every staged manifest against `crds` (when given), then writes every file. */
  async commit(crds?: CrdCatalogue): Promise<string[]> {
    if (crds !== undefined) {
      const problems: CrdProblem[] = this.staged.flatMap((s) =>
        s.objects.flatMap((o) => crds.check(s.path, o)),
      );
      if (problems.length > 0) throw new CrdRejection(problems, crds.source);
    }
    for (const { path, text } of this.staged) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      this.written.push(path);
    }
    this.staged.length = 0;
    return this.written;
  }
}
