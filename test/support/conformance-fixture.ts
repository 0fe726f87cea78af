import { PNG } from 'pngjs';
import { type SignedUp, signUp } from './mattermost.js';

// The state the double's conformance test needs before it walks the endpoint list: three users
// (the first is system admin), a team, a channel both members share, a DM, a thread, a post and an
// uploaded PNG with its thumbnail and preview. Helpers here build fixtures through plain HTTP so
// the endpoint under test is the only request each check depends on.

// Fixture answers are read loosely: the checks are on the endpoint under test.
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
export type Json = any;

export function pngBytes(w: number, h: number): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([i % 251, 80, 160, 255], i);
  return PNG.sync.write(png);
}

export class ConformanceFixture {
  admin!: SignedUp;
  alice!: SignedUp;
  bob!: SignedUp;
  /** Ids and names: team, teamName, channel, channelName, dm, root, post, image. */
  readonly ids: Record<string, string> = {};

  constructor(readonly url: string) {}

  async api(who: SignedUp, method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${who.client.getToken()}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async upload(who: SignedUp, channelId: string, name: string, data: Buffer): Promise<string> {
    const form = new FormData();
    form.append('channel_id', channelId);
    form.append('files', new Blob([data]), name);
    const res = await fetch(`${this.url}/api/v4/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${who.client.getToken()}` },
      body: form,
    });
    const body = (await res.json()) as { file_infos: { id: string }[] };
    return body.file_infos[0]!.id;
  }

  async newPost(msg = 'hello'): Promise<string> {
    return (
      await this.api(this.alice, 'POST', '/api/v4/posts', { channel_id: this.ids.channel, message: msg })
    ).id;
  }

  async setUp(): Promise<this> {
    const api = this.api.bind(this);
    const f = this.ids;
    this.admin = await signUp(this.url, 'sysadmin');
    this.alice = await signUp(this.url, 'alice');
    this.bob = await signUp(this.url, 'bob');
    const { admin, alice, bob } = this;
    f.teamName = 'conformance';
    const team = await api(alice, 'POST', '/api/v4/teams', {
      name: f.teamName,
      display_name: 'Conformance',
      type: 'O',
    });
    f.team = team.id;
    await api(alice, 'POST', `/api/v4/teams/${f.team}/members`, { team_id: f.team, user_id: bob.user.id });
    await api(alice, 'POST', `/api/v4/teams/${f.team}/members`, { team_id: f.team, user_id: admin.user.id });
    f.channelName = 'conformance-room';
    const channel = await api(alice, 'POST', '/api/v4/channels', {
      team_id: f.team,
      name: f.channelName,
      display_name: 'Conformance room',
      type: 'O',
    });
    f.channel = channel.id;
    await api(alice, 'POST', `/api/v4/channels/${f.channel}/members`, { user_id: bob.user.id });
    f.dm = (await api(alice, 'POST', '/api/v4/channels/direct', [alice.user.id, bob.user.id])).id;
    f.root = await this.newPost('hello root');
    await api(bob, 'POST', '/api/v4/posts', {
      channel_id: f.channel,
      message: 'hello reply',
      root_id: f.root,
    });
    f.post = await this.newPost('hello world');
    f.image = await this.upload(alice, channel.id, 'test_upload.png', pngBytes(300, 200));
    await api(alice, 'POST', '/api/v4/posts', {
      channel_id: f.channel,
      message: 'image',
      file_ids: [f.image],
    });
    return this;
  }
}
