import { randomBytes } from 'node:crypto';
import type { ServerChannel } from '@mattermost/types/channels';
import type { FileInfo, FileUploadResponse } from '@mattermost/types/files';
import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type Client4, ClientError, type SignedUp, signUp } from '../support/mattermost.js';

// File uploads and downloads of the test double on a real S3 server (versitygw), judged by
// Mattermost's own Client4; the node runs with a 1 KiB upload limit.

const MAX_FILE_SIZE = 1024;

let cluster: DoubleCluster;
let alice: SignedUp;
let bob: SignedUp;
let carol: SignedUp; // on the team, not in the channel
let channel: ServerChannel;

async function expectError(promise: Promise<unknown>, status: number, id?: string): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  const clientError = err as InstanceType<typeof ClientError>;
  expect(clientError.status_code).toBe(status);
  if (id) expect(clientError.server_error_id).toBe(id);
}

function form(channelId: string, files: { name: string; data: Buffer; clientId?: string }[]): FormData {
  const body = new FormData();
  body.append('channel_id', channelId);
  for (const f of files) if (f.clientId) body.append('client_ids', f.clientId);
  for (const f of files) body.append('files', new Blob([f.data]), f.name);
  return body;
}

/** GET through Client4's own URL and auth headers; the body stays bytes. */
async function download(client: Client4, fileId: string): Promise<Response> {
  return fetch(client.getFileUrl(fileId, 0), client.getOptions({ method: 'get' }));
}

/** GET /files/{id}/info (Client4 has no method for it): through its raw fetch, errors as ClientError. */
function fileInfo(client: Client4, fileId: string): Promise<FileInfo> {
  const rawClient = client as unknown as { doFetch<T>(url: string, options: { method: string }): Promise<T> };
  return rawClient.doFetch<FileInfo>(`${client.getFileRoute(fileId)}/info`, { method: 'get' });
}

/** The raw upload form: `POST /files?channel_id=…&filename=…` with the file as the body. */
async function rawUpload(
  client: Client4,
  channelId: string,
  filename: string,
  data: Buffer,
): Promise<Response> {
  const url = `${client.getFilesRoute()}?channel_id=${channelId}&filename=${encodeURIComponent(filename)}`;
  return fetch(
    url,
    client.getOptions({ method: 'post', body: data, headers: { 'Content-Type': 'text/plain' } }),
  );
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, args: ['--max-file-size', String(MAX_FILE_SIZE)] });
  await signUp(cluster.url, 'sysadmin');
  [alice, bob, carol] = await Promise.all([
    signUp(cluster.url, 'alice'),
    signUp(cluster.url, 'bob'),
    signUp(cluster.url, 'carol'),
  ]);
  const team = await alice.client.createTeam({
    name: `uploads-${Date.now()}`,
    display_name: 'Files',
    type: 'O',
  } as Team);
  await alice.client.addToTeam(team.id, bob.user.id);
  await alice.client.addToTeam(team.id, carol.user.id);
  channel = await alice.client.createChannel({
    team_id: team.id,
    name: 'uploads',
    display_name: 'Uploads',
    type: 'O',
  });
  await alice.client.addToChannel(bob.user.id, channel.id);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('uploads and downloads', () => {
  it('uploads multipart files, serves identical bytes, and reports the file info', async () => {
    const bytes = randomBytes(1000);
    const text = Buffer.from('hello, files\n');
    const res: FileUploadResponse = await alice.client.uploadFile(
      form(channel.id, [
        { name: 'blob.bin', data: bytes, clientId: 'c-1' },
        { name: 'notes.txt', data: text, clientId: 'c-2' },
      ]),
    );
    expect(res.client_ids).toEqual(['c-1', 'c-2']);
    expect(res.file_infos).toHaveLength(2);
    const [bin, txt] = res.file_infos as [FileInfo, FileInfo];
    expect(bin).toMatchObject({
      user_id: alice.user.id,
      channel_id: channel.id,
      name: 'blob.bin',
      extension: 'bin',
      size: 1000,
      delete_at: 0,
    });
    expect(bin.id).toMatch(/^[a-z0-9]{26}$/);
    expect(txt).toMatchObject({
      name: 'notes.txt',
      extension: 'txt',
      size: text.length,
      mime_type: 'text/plain; charset=utf-8',
    });

    const got = await download(alice.client, bin.id);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;filename="blob.bin"/);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(await fileInfo(alice.client, bin.id)).toMatchObject({
      id: bin.id,
      size: 1000,
      name: 'blob.bin',
    });
  });

  it('shows a file to the uploader only until it is posted, then to the channel', async () => {
    const res = await alice.client.uploadFile(
      form(channel.id, [{ name: 'later.txt', data: Buffer.from('later') }]),
    );
    expect(res.client_ids).toEqual([]);
    const file = res.file_infos[0]!;
    expect((await download(bob.client, file.id)).status).toBe(403);
    const post = await alice.client.createPost({
      channel_id: channel.id,
      message: 'see file',
      file_ids: [file.id],
    });
    expect(post.file_ids).toEqual([file.id]);
    expect(post.metadata.files?.map((f) => f.id)).toEqual([file.id]);
    const asBob = await download(bob.client, file.id);
    expect(asBob.status).toBe(200);
    expect(await asBob.text()).toBe('later');
    expect((await bob.client.getFileInfosForPost(post.id)).map((f) => f.id)).toEqual([file.id]);
    await expectError(fileInfo(carol.client, file.id), 403, 'api.context.permissions.app_error');
    await expectError(fileInfo(bob.client, 'z'.repeat(26)), 404, 'app.file_info.get.app_error');
  });

  it('accepts the raw upload form', async () => {
    const res = await rawUpload(alice.client, channel.id, 'raw.txt', Buffer.from('raw body'));
    expect(res.status).toBe(201);
    const body = (await res.json()) as FileUploadResponse;
    expect(body.file_infos[0]).toMatchObject({ name: 'raw.txt', size: 8, channel_id: channel.id });
    expect(await (await download(alice.client, body.file_infos[0]!.id)).text()).toBe('raw body');
  });

  it('refuses files over the limit with 413 and non-members with 403', async () => {
    await expectError(
      alice.client.uploadFile(form(channel.id, [{ name: 'big.bin', data: randomBytes(MAX_FILE_SIZE + 1) }])),
      413,
      'api.file.upload_file.too_large_detailed.app_error',
    );
    const res = await rawUpload(alice.client, channel.id, 'big.txt', randomBytes(MAX_FILE_SIZE * 4));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      id: 'api.file.upload_file.too_large_detailed.app_error',
      status_code: 413,
    });
    await expectError(
      carol.client.uploadFile(form(channel.id, [{ name: 'x.txt', data: Buffer.from('x') }])),
      403,
      'api.context.permissions.app_error',
    );
  });
});

describe('object store outage', () => {
  it('fails file operations with Mattermost 5xx bodies while posts keep working, and recovers', async () => {
    const before = await alice.client.uploadFile(
      form(channel.id, [{ name: 'kept.txt', data: Buffer.from('kept') }]),
    );
    await cluster.objectStore!.kill();
    try {
      const res = await fetch(
        alice.client.getFilesRoute(),
        alice.client.getOptions({
          method: 'post',
          body: form(channel.id, [{ name: 'x.txt', data: Buffer.from('x') }]),
        }),
      );
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ id: 'api.file.write_file.app_error', status_code: 500 });
      expect(body.request_id).toBe(res.headers.get('x-request-id'));
      // Mattermost's getFile reports a failed read as 404 (api.file.file_reader.app_error).
      const read = await download(alice.client, before.file_infos[0]!.id);
      expect(read.status).toBe(404);
      expect(await read.json()).toMatchObject({ id: 'api.file.file_reader.app_error' });
      const post = await bob.client.createPost({ channel_id: channel.id, message: 'posts still work' });
      expect((await alice.client.getPost(post.id)).message).toBe('posts still work');
    } finally {
      await cluster.objectStore!.start();
    }
    const after = await alice.client.uploadFile(
      form(channel.id, [{ name: 'back.txt', data: Buffer.from('back') }]),
    );
    expect(await (await download(alice.client, after.file_infos[0]!.id)).text()).toBe('back');
    expect(await (await download(alice.client, before.file_infos[0]!.id)).text()).toBe('kept');
  });
});
