// `npm run schemas`: writes schemas/<kind>.schema.json from the TypeBox definitions. A unit test
// fails when the committed files differ from what this writes, so run it after changing a schema.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { packageRoot } from '../common/package-root.js';
import { CONFIG_KINDS, OUTPUT_KINDS, renderSchemaFile, schemaFileName, schemasDirectory } from './schemas.js';

const directory = schemasDirectory();
await mkdir(directory, { recursive: true });
for (const kind of [...CONFIG_KINDS, ...OUTPUT_KINDS]) {
  const path = join(directory, schemaFileName(kind.kind));
  await writeFile(path, renderSchemaFile(kind));
  process.stdout.write(`wrote ${relative(packageRoot(), path)}\n`);
}
