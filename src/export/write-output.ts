import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

// Writing an export's files: YAML documents (one or several per file) and text, under --out.

/** Kubernetes YAML: several objects in one file, separated by `---`, no line folding. */
export function yamlDocuments(objects: readonly object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

export class OutputDirectory {
  readonly written: string[] = [];
  constructor(readonly dir: string) {}

  async write(file: string, text: string): Promise<string> {
    const path = join(this.dir, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    this.written.push(path);
    return path;
  }
}
