import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  CONFIG_KINDS,
  OUTPUT_KINDS,
  renderSchemaFile,
  schemaFileName,
  schemaModeline,
  schemasDirectory,
} from '../../../src/cli/schemas.js';
import { packageRoot } from '../../../src/common/package-root.js';
import { loadConfigFile } from '../../../src/config/load.js';

describe('published JSON Schemas', () => {
  test.each([...CONFIG_KINDS, ...OUTPUT_KINDS].map((kind) => [kind.kind, kind] as const))(
    'schemas/%s.schema.json matches its TypeBox definition',
    async (name, kind) => {
      const committed = await readFile(join(schemasDirectory(), schemaFileName(name)), 'utf8').catch(
        () => '',
      );
      // On failure: `npm run build && npm run schemas`, then commit the schema file.
      expect(
        committed,
        `schemas/${schemaFileName(name)} is out of date: run npm run build && npm run schemas`,
      ).toBe(renderSchemaFile(kind));
    },
  );

  test('every file in schemas/ belongs to a configuration kind', async () => {
    const files = (await readdir(schemasDirectory())).filter((f) => f.endsWith('.schema.json'));
    expect(files.sort()).toEqual(
      [...CONFIG_KINDS, ...OUTPUT_KINDS].map((k) => schemaFileName(k.kind)).sort(),
    );
  });

  test.each(CONFIG_KINDS.map((kind) => [kind.kind, kind] as const))(
    'every %s example names its schema on the first line and loads',
    async (name, kind) => {
      const directory = join(packageRoot(), kind.directory);
      const examples = (await readdir(directory)).filter((f) => f.endsWith('.yaml'));
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const path = join(directory, example);
        const firstLine = (await readFile(path, 'utf8')).split('\n')[0];
        expect(firstLine, example).toBe(schemaModeline(name));
        await expect(loadConfigFile(path, kind.schema, { kind: name })).resolves.toBeTypeOf('object');
      }
    },
  );
});
