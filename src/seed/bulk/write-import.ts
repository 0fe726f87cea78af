import { randomBytes } from 'node:crypto';
import { readCredentials, writeCredentials } from '../credentials.js';
import { planSeed } from '../plan.js';
import type { SeedShape } from '../shape.js';
import { type ArchiveResult, writeImportArchive } from './import-archive.js';
import {
  corpusPostText,
  emptyCounts,
  HISTORY_END,
  type ImportCounts,
  importLines,
  type PostText,
} from './import-lines.js';

// `mmdrill seed --write-import FILE`: the shape's bulk-import archive on disk, for an
// administrator to import by hand (`mmctl import upload FILE`, `mmctl import process …`). The
// accounts' password is the data set's (kept, or made, in the credentials file, mode 0600), so
// that `mmdrill run` can log in as the imported users once the import is done. The file holds that
// password too: keep it as private as the credentials file.

export interface WrittenImport extends ArchiveResult {
  counts: ImportCounts;
}

export async function writeShapeImport(
  shape: SeedShape,
  path: string,
  credentialsPath: string,
  text: PostText = corpusPostText,
): Promise<WrittenImport> {
  const previous = await readCredentials(credentialsPath);
  const password = previous?.users[0]?.password ?? `${randomBytes(18).toString('base64url')}Aa1!`;
  const plan = planSeed(shape);
  if (!previous) {
    await writeCredentials(credentialsPath, {
      version: 1,
      shape: shape.name,
      url: '',
      updatedAt: new Date().toISOString(),
      teams: [],
      users: plan.users.map((u) => ({ id: '', username: u.username, password })),
    });
  }
  const counts = emptyCounts();
  const written = await writeImportArchive(
    path,
    importLines({ plan, shape, password, text, endAt: HISTORY_END }, counts),
  );
  return { ...written, counts };
}
