import { randomBytes } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { forEachBounded, withRetry } from '../../common/bounded-parallel.js';
import { UsageError } from '../../common/exit-codes.js';
import type { Client4 } from '../../mattermost/official-client.js';
import { readCredentials, writeCredentials } from '../credentials.js';
import { planSeed, type SeedPlan } from '../plan.js';
import { adminSeedClient, isNotFound } from '../seed-steps.js';
import type { SeedTarget } from '../seeder.js';
import type { SeedShape } from '../shape.js';
import { writeImportArchive } from './import-archive.js';
import {
  createImportJob,
  createUploadSession,
  getImportJob,
  getUploadSession,
  type ImportJob,
  importFileName,
  uploadArchive,
  waitForJob,
} from './import-job.js';
import {
  corpusPostText,
  emptyCounts,
  HISTORY_END,
  type ImportCounts,
  importLines,
  type PostText,
} from './import-lines.js';

// `mmdrill seed --method bulk`: the data set as one bulk-import archive, imported the way an
// administrator does (import-job.ts), then read back through the API. Idempotent and resumable:
// the server is read first, and a data set that is all there is left alone; an upload or job that
// an earlier, interrupted seed started is kept in <state>/seed-<name>.import.json and picked up
// (the upload from its offset, the job by polling it) instead of starting over.

export interface BulkSeedOptions {
  target: SeedTarget;
  shape: SeedShape;
  credentialsPath: string;
  /** Post text; the corpus's by default (corpusPostText). */
  text?: PostText;
  /** An archive to import instead of the shape's own (e.g. one edited by hand). */
  archive?: string;
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

export interface BulkSeedReport {
  shape: string;
  url: string;
  method: 'bulk';
  credentialsFile: string;
  /** True when the data set was all there and nothing was imported. */
  unchanged: boolean;
  expected: ImportCounts;
  readBack: ReadBack;
  durationMs: number;
  importMs: number;
}

export interface ReadBack {
  teams: number;
  channels: number;
  users: number;
  /** Posts and replies in the data set's channels (channels' total_msg_count). */
  posts: number;
}

interface ImportState {
  shape: string;
  url: string;
  archive: string;
  uploadId?: string;
  jobId?: string;
}

export async function bulkSeed(options: BulkSeedOptions): Promise<BulkSeedReport> {
  const { target, shape, signal } = options;
  const print = options.progress ?? (() => undefined);
  const started = Date.now();
  const plan = planSeed(shape);
  const admin = await adminSeedClient(target.url, target.admin);
  const previous = await readCredentials(options.credentialsPath);
  const password = previous?.users[0]?.password ?? `${randomBytes(18).toString('base64url')}Aa1!`;
  const expected = emptyCounts();
  // Each pass over the lines counts into its own tally: the archive writer's pass must not add
  // to `expected` a second time.
  const lines = (counts: ImportCounts = emptyCounts()) =>
    importLines({ plan, shape, password, text: options.text ?? corpusPostText, endAt: HISTORY_END }, counts);
  // Count what the shape holds without writing it (the read-back compares with these).
  for (const _ of lines(expected));

  const statePath = resolve(dirname(options.credentialsPath), `seed-${shape.name}.import.json`);
  const state = await readState(statePath);
  const before = await readBack(admin, plan, print, signal);
  const complete = matches(before, expected);
  if (complete && !options.archive && !state?.jobId) {
    if (!previous) {
      throw new UsageError(
        `data set "${shape.name}" exists on ${target.url} but ${options.credentialsPath} is missing, so its passwords are unknown: restore that file, or seed with another prefix`,
      );
    }
    print(`  data set "${shape.name}" is complete on ${target.url}: nothing to import`);
    await saveCredentials(admin, plan, shape, target, password, options.credentialsPath);
    return report(options, expected, before, true, started, 0);
  }
  if (!options.archive && before.users > 0 && !previous) {
    throw new UsageError(
      `${before.users} users of shape "${shape.name}" exist on ${target.url} but are not in ${options.credentialsPath}, so their passwords are unknown: restore that file, or seed with another prefix`,
    );
  }
  // The passwords are known before the import, so an interrupted import still has them.
  await saveCredentials(admin, plan, shape, target, password, options.credentialsPath, false);

  const importStarted = Date.now();
  const job = await runImport(admin, options, state, statePath, lines, print);
  if (job.status !== 'success') {
    await rm(statePath, { force: true });
    throw rejected(job);
  }
  await rm(statePath, { force: true });
  const importMs = Date.now() - importStarted;
  print(`  import job ${job.id} succeeded in ${(importMs / 1000).toFixed(1)} s; reading back`);
  const after = await readBack(admin, plan, print, signal);
  if (!options.archive && !matches(after, expected)) {
    throw new Error(
      `read-back after the import does not match the data set: expected ${describe(expected)}, found ${JSON.stringify(after)}`,
    );
  }
  await saveCredentials(admin, plan, shape, target, password, options.credentialsPath);
  return report(options, expected, after, false, started, importMs);
}

/** Picks up a recorded job or upload, or writes, uploads and imports the archive afresh. */
async function runImport(
  admin: Client4,
  options: BulkSeedOptions,
  state: ImportState | null,
  statePath: string,
  lines: () => Iterable<import('./import-lines.js').ImportLine>,
  print: (line: string) => void,
): Promise<ImportJob> {
  const { signal, target, shape } = options;
  const onJob = (job: ImportJob) =>
    print(
      `  import job ${job.id}: ${job.status} ${job.progress}%${job.data?.progress_line ? ` (${job.data.progress_line})` : ''}`,
    );
  const usable = state && state.url === target.url && state.shape === shape.name ? state : null;
  if (usable?.jobId) {
    const job = await getImportJob(admin, usable.jobId);
    if (job && (job.status === 'pending' || job.status === 'in_progress')) {
      print(`  resuming: an earlier seed's import job ${job.id} is ${job.status} (${job.progress}%)`);
      return waitForJob(admin, job.id, onJob, signal);
    }
    if (job?.status === 'success') return job;
  }
  const archive =
    options.archive ?? usable?.archive ?? resolve(dirname(statePath), `import-${shape.name}.zip`);
  let session = usable?.uploadId ? await getUploadSession(admin, usable.uploadId) : null;
  const resumed = session !== null && usable?.archive === archive && (await exists(archive));
  if (resumed && session) {
    print(
      `  resuming: upload ${session.id} of ${archive} at ${session.file_offset}/${session.file_size} bytes`,
    );
  } else {
    if (!options.archive) {
      const written = await writeImportArchive(archive, lines());
      print(
        `  wrote ${archive}: ${written.lines} lines, ${mb(written.jsonlBytes)} JSONL, ${mb(written.fileBytes)} archive`,
      );
    }
    session = await createUploadSession(admin, archive.split('/').pop()!, (await stat(archive)).size);
  }
  await writeState(statePath, { shape: shape.name, url: target.url, archive, uploadId: session!.id });
  let lastPrint = 0;
  await uploadArchive(
    admin,
    session!,
    archive,
    (sent, total) => {
      if (Date.now() - lastPrint < 2_000 && sent < total) return;
      lastPrint = Date.now();
      print(`  upload ${mb(sent)}/${mb(total)}`);
    },
    signal,
  );
  const job = await createImportJob(admin, importFileName(session!, archive));
  await writeState(statePath, {
    shape: shape.name,
    url: target.url,
    archive,
    uploadId: session!.id,
    jobId: job.id,
  });
  print(`  import job ${job.id} created`);
  return waitForJob(admin, job.id, onJob, signal);
}

/** A failed job as an error: a rejected line (line number and field) is the input's fault: exit 2. */
function rejected(job: ImportJob): Error {
  const line = job.data?.line_number;
  const message = job.data?.error ?? `job ended ${job.status}`;
  if (line) return new UsageError(`import rejected, nothing imported: line ${line}: ${message}`);
  return new Error(`import job ${job.id} failed: ${message}`);
}

/** What of the data set the server has: teams, channels (with their posts), users. */
async function readBack(
  admin: Client4,
  plan: SeedPlan,
  print: (line: string) => void,
  signal?: AbortSignal,
): Promise<ReadBack> {
  const out: ReadBack = { teams: 0, channels: 0, users: 0, posts: 0 };
  const teamIds = new Map<string, string>();
  for (const t of plan.teams) {
    const team = await withRetry(() => admin.getTeamByName(t.name)).catch((err: unknown) =>
      isNotFound(err) ? null : Promise.reject(err),
    );
    if (team) {
      teamIds.set(t.name, team.id);
      out.teams++;
    }
  }
  await forEachBounded(
    plan.channels,
    8,
    async (c) => {
      const teamId = teamIds.get(c.team);
      if (!teamId) return;
      const channel = await withRetry(() => admin.getChannelByName(teamId, c.name)).catch((err: unknown) =>
        isNotFound(err) ? null : Promise.reject(err),
      );
      if (!channel) return;
      out.channels++;
      out.posts += channel.total_msg_count;
    },
    signal,
  );
  for (let i = 0; i < plan.users.length; i += 100) {
    const batch = plan.users.slice(i, i + 100).map((u) => u.username);
    out.users += (await withRetry(() => admin.getProfilesByUsernames(batch))).length;
  }
  print(`  read back: ${out.teams} teams, ${out.channels} channels, ${out.users} users, ${out.posts} posts`);
  return out;
}

function matches(found: ReadBack, expected: ImportCounts): boolean {
  return (
    found.teams === expected.teams &&
    found.channels === expected.channels &&
    found.users === expected.users &&
    found.posts === expected.posts + expected.replies
  );
}

async function saveCredentials(
  admin: Client4,
  plan: SeedPlan,
  shape: SeedShape,
  target: SeedTarget,
  password: string,
  path: string,
  lookUp = true,
): Promise<void> {
  const ids = new Map<string, string>();
  const teams: { id: string; name: string }[] = [];
  if (lookUp) {
    for (let i = 0; i < plan.users.length; i += 100) {
      const batch = plan.users.slice(i, i + 100).map((u) => u.username);
      for (const p of await withRetry(() => admin.getProfilesByUsernames(batch))) ids.set(p.username, p.id);
    }
    for (const t of plan.teams)
      teams.push({ id: (await withRetry(() => admin.getTeamByName(t.name))).id, name: t.name });
  }
  await writeCredentials(path, {
    version: 1,
    shape: shape.name,
    url: target.url,
    updatedAt: new Date().toISOString(),
    teams,
    users: plan.users.map((u) => ({ id: ids.get(u.username) ?? '', username: u.username, password })),
  });
}

function report(
  options: BulkSeedOptions,
  expected: ImportCounts,
  readBack: ReadBack,
  unchanged: boolean,
  started: number,
  importMs: number,
): BulkSeedReport {
  return {
    shape: options.shape.name,
    url: options.target.url,
    method: 'bulk',
    credentialsFile: options.credentialsPath,
    unchanged,
    expected,
    readBack,
    durationMs: Date.now() - started,
    importMs,
  };
}

async function readState(path: string): Promise<ImportState | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ImportState;
  } catch {
    return null;
  }
}

async function writeState(path: string, state: ImportState): Promise<void> {
  await writeFile(path, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o600 });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function describe(c: ImportCounts): string {
  return `${c.teams} teams, ${c.channels} channels, ${c.users} users, ${c.posts + c.replies} posts`;
}
