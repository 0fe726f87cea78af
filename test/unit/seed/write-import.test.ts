import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { Value } from '@sinclair/typebox/value';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORT_LINE_ORDER, IMPORT_LINE_SCHEMAS } from '../../../src/seed/bulk/import-schema.js';
import { writeShapeImport } from '../../../src/seed/bulk/write-import.js';
import { BUILT_IN_SHAPES } from '../../../src/seed/shape.js';

// `mmdrill seed --write-import` output against the bulk-import format's schemas
// (src/seed/bulk/import-schema.ts, from Mattermost's public "Bulk loading data format" page).

const dir = await mkdtemp(join(tmpdir(), 'mmdrill-write-import-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function checkLines(text: string): { type: string }[] {
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: keyof typeof IMPORT_LINE_SCHEMAS });
  let rank = 0;
  for (const [n, line] of lines.entries()) {
    const schema = IMPORT_LINE_SCHEMAS[line.type];
    expect(schema, `line ${n + 1}: unknown type ${line.type}`).toBeDefined();
    const errors = [...Value.Errors(schema, line)].map((e) => `${e.path}: ${e.message}`);
    expect(errors, `line ${n + 1}`).toEqual([]);
    const r = IMPORT_LINE_ORDER.indexOf(line.type);
    expect(r, `line ${n + 1}: ${line.type} out of order`).toBeGreaterThanOrEqual(rank);
    rank = r;
  }
  return lines;
}

describe('seed --write-import', () => {
  const shape = { ...BUILT_IN_SHAPES.small!, directChannels: 3 };

  it('writes JSONL lines that pass the bulk-import schemas, in the required order', async () => {
    const written = await writeShapeImport(shape, join(dir, 'small.jsonl'), join(dir, 'seed-small.json'));
    const lines = checkLines(await readFile(written.path, 'utf8'));
    expect(lines[0]).toEqual({ type: 'version', version: 1 });
    expect(lines.filter((l) => l.type === 'user')).toHaveLength(100);
    expect(written.counts.posts + written.counts.replies).toBeGreaterThanOrEqual(1_000);
    expect(written.counts.directChannels).toBe(3);
  });

  it('writes a ZIP whose import.jsonl passes the same check', async () => {
    const written = await writeShapeImport(shape, join(dir, 'small.zip'), join(dir, 'seed-small.json'));
    const zip = await readFile(written.path);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = zip.readUInt16LE(26);
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe('import.jsonl');
    const end = zip.length - 22;
    const centralOffset = zip.readUInt32LE(end + 16);
    const compressed = zip.readUInt32LE(centralOffset + 20);
    const text = inflateRawSync(zip.subarray(30 + nameLength, 30 + nameLength + compressed)).toString('utf8');
    checkLines(text);
  });

  it('fails the check on a line with a misspelt or missing field', () => {
    const bad = `${JSON.stringify({ type: 'version', version: 1 })}\n${JSON.stringify({ type: 'post', post: { team: 't', channel: 'c', user: 'u', mesage: 'x', create_at: 1 } })}\n`;
    expect(() => checkLines(bad)).toThrow(/line 2/);
  });
});
