import { createHash } from 'node:crypto';
import { parseHashtags } from '../api/post-text.js';
import { idFrom, newId } from '../model/ids.js';
import { channelMemberRoles } from '../store/channels.js';
import type { Queryable } from '../store/db.js';
import { hashPassword } from '../store/sessions.js';
import { DEFAULT_CHANNELS, insertTeamWithDefaultChannels } from '../store/teams.js';
import { recountChannels } from './import-counters.js';
import type { ImportData, PostData } from './line-validation.js';

// Writes validated import lines inside the import's one transaction, in batches: rows gather
// per table and go in with one `INSERT … SELECT FROM unnest(…)` of up to BATCH rows. Importing
// an archive again changes nothing: teams, channels and users are upserted by name, memberships
// and reactions by their keys, and a post's id is derived from its channel, author, time and
// text (a reply's from its root), so the same post finds itself. Counters the API keeps per post
// (channels' totals and last post, threads and their followers, members' read state) are set
// once at the end from what the channels hold, so they agree with the API path's.

const BATCH = 5_000;

type Columns = Record<string, unknown[]>;

interface PendingPosts {
  id: string[];
  channel_id: string[];
  user_id: string[];
  root_id: string[];
  message: string[];
  props: string[];
  hashtags: string[];
  create_at: number[];
  update_at: number[];
}

const emptyPosts = (): PendingPosts => ({
  id: [],
  channel_id: [],
  user_id: [],
  root_id: [],
  message: [],
  props: [],
  hashtags: [],
  create_at: [],
  update_at: [],
});

export class ImportWriter {
  private readonly teamIds = new Map<string, string>();
  private readonly channelIds = new Map<string, string>();
  private readonly userIds = new Map<string, string>();
  private readonly hashes = new Map<string, Promise<string>>();
  private readonly touchedChannels = new Set<string>();
  private users: Extract<ImportData, { type: 'user' }>['user'][] = [];
  private posts = emptyPosts();
  private reactions: Columns = { post_id: [], user_id: [], emoji_name: [], channel_id: [], create_at: [] };
  private teamMembers: Columns = { team_id: [], user_id: [], roles: [], scheme_admin: [] };
  private channelMembers: Columns = { channel_id: [], user_id: [], roles: [], scheme_admin: [] };

  /** The batch insert PostgreSQL is working on while the next batch is built (see send()). */
  private inflight: Promise<unknown> = Promise.resolve();

  constructor(private readonly c: Queryable) {}

  /**
   * Queues a batch insert and returns once the previous one is in: Node parses and builds the
   * next batch while PostgreSQL writes this one (one connection runs its queries in order).
   */
  private async send(sql: string, params: unknown[]): Promise<void> {
    const previous = this.inflight;
    const current = this.c.query(sql, params);
    current.catch(() => undefined); // its failure surfaces at the next send() or settle()
    this.inflight = current;
    await previous;
  }

  /** Waits for the queued batch; a statement that reads back ids runs only after it. */
  private async settle(): Promise<void> {
    await this.inflight;
  }

  /** Loads the ids of what exists already: lines may name it. */
  async start(): Promise<void> {
    for (const r of (await this.c.query<{ id: string; name: string }>('SELECT id, name FROM teams')).rows)
      this.teamIds.set(r.name, r.id);
    const channels = await this.c.query<{ id: string; key: string }>(
      `SELECT c.id, t.name || '/' || c.name AS key FROM channels c JOIN teams t ON t.id = c.team_id`,
    );
    for (const r of channels.rows) this.channelIds.set(r.key, r.id);
    for (const r of (await this.c.query<{ id: string; username: string }>('SELECT id, username FROM users'))
      .rows)
      this.userIds.set(r.username, r.id);
  }

  async add(data: ImportData): Promise<void> {
    if (data.type !== 'post' && data.type !== 'direct_post') await this.settle();
    switch (data.type) {
      case 'version':
        return;
      case 'team':
        return this.team(data.team);
      case 'channel':
        return this.channel(data.channel);
      case 'user':
        this.users.push(data.user);
        if (this.users.length >= BATCH / 10) await this.flushUsers();
        return;
      case 'post': {
        await this.flushUsers();
        const channelId = this.channelIds.get(`${data.post.team}/${data.post.channel}`)!;
        return this.post(channelId, data.post);
      }
      case 'direct_channel':
        await this.flushUsers();
        await this.directChannel(data.members, data.header);
        return;
      case 'direct_post': {
        await this.flushUsers();
        const channelId = await this.directChannel(data.members, '');
        return this.post(channelId, data.post);
      }
    }
  }

  private async team(t: Extract<ImportData, { type: 'team' }>['team']): Promise<void> {
    const now = Date.now();
    const created = await insertTeamWithDefaultChannels(this.c, { ...t, email: '' }, now);
    const { rows } = await this.c.query<{ id: string }>(
      `UPDATE teams SET display_name = $2, type = $3, description = $4, update_at = $5 WHERE name = $1 RETURNING id`,
      [t.name, t.display_name, t.type, t.description, now],
    );
    const id = created?.id ?? rows[0]!.id;
    this.teamIds.set(t.name, id);
    for (const d of DEFAULT_CHANNELS) {
      const r = await this.c.query<{ id: string }>(
        'SELECT id FROM channels WHERE team_id = $1 AND name = $2',
        [id, d.name],
      );
      if (r.rows[0]) this.channelIds.set(`${t.name}/${d.name}`, r.rows[0].id);
    }
  }

  private async channel(ch: Extract<ImportData, { type: 'channel' }>['channel']): Promise<void> {
    const now = Date.now();
    const { rows } = await this.c.query<{ id: string }>(
      `INSERT INTO channels (id, team_id, type, name, display_name, header, purpose, creator_id, create_at, update_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,'',$8,$8)
       ON CONFLICT (team_id, name) DO UPDATE SET type = EXCLUDED.type, display_name = EXCLUDED.display_name,
         header = EXCLUDED.header, purpose = EXCLUDED.purpose
       RETURNING id`,
      [newId(), this.teamIds.get(ch.team), ch.type, ch.name, ch.display_name, ch.header, ch.purpose, now],
    );
    this.channelIds.set(`${ch.team}/${ch.name}`, rows[0]!.id);
  }

  /** One hash per distinct password: ten thousand users sharing one cost one scrypt. */
  private hashOf(password: string): Promise<string> {
    let h = this.hashes.get(password);
    if (!h) {
      h = hashPassword(password);
      this.hashes.set(password, h);
    }
    return h;
  }

  private async flushUsers(): Promise<void> {
    if (this.users.length === 0) return;
    // A username twice in one batch would hit ON CONFLICT twice in one statement: the last line wins.
    const batch = [...new Map(this.users.map((u) => [u.username, u])).values()];
    this.users = [];
    const now = Date.now();
    const hashes = await Promise.all(
      batch.map((u) => (u.password === null ? Promise.resolve('') : this.hashOf(u.password))),
    );
    const { rows } = await this.c.query<{ id: string; username: string }>(
      `INSERT INTO users (id, username, email, password_hash, nickname, first_name, last_name, position, roles, create_at, update_at)
       SELECT * , $10::bigint, $10::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (username) DO UPDATE SET email = EXCLUDED.email,
         password_hash = CASE WHEN EXCLUDED.password_hash = '' THEN users.password_hash ELSE EXCLUDED.password_hash END,
         nickname = EXCLUDED.nickname, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
         position = EXCLUDED.position, roles = EXCLUDED.roles, delete_at = 0
       RETURNING id, username`,
      [
        batch.map(() => newId()),
        batch.map((u) => u.username),
        batch.map((u) => u.email),
        hashes,
        batch.map((u) => u.nickname),
        batch.map((u) => u.first_name),
        batch.map((u) => u.last_name),
        batch.map((u) => u.position),
        batch.map((u) => u.roles),
        now,
      ],
    );
    for (const r of rows) this.userIds.set(r.username, r.id);
    for (const u of batch) {
      const userId = this.userIds.get(u.username)!;
      for (const t of u.teams) {
        const teamId = this.teamIds.get(t.name)!;
        push(this.teamMembers, {
          team_id: teamId,
          user_id: userId,
          roles: t.roles,
          scheme_admin: t.roles.includes('team_admin'),
        });
        // Joining a team joins its default channels, as the API's JoinUserToTeam does.
        const channels = [
          ...DEFAULT_CHANNELS.map((d) => ({ name: d.name as string, roles: 'channel_user' })),
          ...t.channels,
        ];
        for (const ch of channels) {
          const channelId = this.channelIds.get(`${t.name}/${ch.name}`);
          if (!channelId) continue;
          const admin = ch.roles.includes('channel_admin');
          push(this.channelMembers, {
            channel_id: channelId,
            user_id: userId,
            roles: channelMemberRoles(admin),
            scheme_admin: admin,
          });
        }
      }
    }
    await this.flushMembers();
  }

  private async flushMembers(): Promise<void> {
    const tm = this.teamMembers;
    if (tm.team_id!.length > 0) {
      await this.c.query(
        `INSERT INTO team_members (team_id, user_id, roles, scheme_admin, delete_at)
         SELECT DISTINCT ON (t, u) t, u, r, a, 0 FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS x(t, u, r, a)
         ON CONFLICT (team_id, user_id) DO UPDATE SET delete_at = 0, roles = EXCLUDED.roles, scheme_admin = EXCLUDED.scheme_admin`,
        [tm.team_id, tm.user_id, tm.roles, tm.scheme_admin],
      );
      this.teamMembers = { team_id: [], user_id: [], roles: [], scheme_admin: [] };
    }
    const cm = this.channelMembers;
    if (cm.channel_id!.length > 0) {
      await this.c.query(
        `INSERT INTO channel_members (channel_id, user_id, roles, scheme_admin, last_update_at)
         SELECT DISTINCT ON (ch, u) ch, u, r, a, $5::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS x(ch, u, r, a)
         ON CONFLICT (channel_id, user_id) DO NOTHING`,
        [cm.channel_id, cm.user_id, cm.roles, cm.scheme_admin, Date.now()],
      );
      this.channelMembers = { channel_id: [], user_id: [], roles: [], scheme_admin: [] };
    }
  }

  /** The direct (2 members) or group (3–8) channel of these usernames, created when missing. */
  private async directChannel(members: string[], header: string): Promise<string> {
    const ids = members.map((m) => this.userIds.get(m)!).sort();
    const group = ids.length > 2;
    const name = group ? createHash('sha1').update(ids.join('')).digest('hex') : ids.join('__');
    const key = `/${name}`;
    const known = this.channelIds.get(key);
    if (known) return known;
    const now = Date.now();
    await this.settle();
    const { rows } = await this.c.query<{ id: string }>(
      `INSERT INTO channels (id, team_id, type, name, display_name, header, creator_id, create_at, update_at)
       VALUES ($1, '', $2, $3, $4, $5, '', $6, $6)
       ON CONFLICT (team_id, name) DO UPDATE SET header = CASE WHEN EXCLUDED.header = '' THEN channels.header ELSE EXCLUDED.header END
       RETURNING id`,
      [
        newId(),
        group ? 'G' : 'D',
        name,
        group ? [...members].sort().join(', ').slice(0, 64) : '',
        header,
        now,
      ],
    );
    const id = rows[0]!.id;
    this.channelIds.set(key, id);
    for (const u of ids)
      push(this.channelMembers, { channel_id: id, user_id: u, roles: 'channel_user', scheme_admin: false });
    await this.flushMembers();
    return id;
  }

  private async post(channelId: string, p: PostData): Promise<void> {
    this.touchedChannels.add(channelId);
    const userId = this.userIds.get(p.user)!;
    const rootId = idFrom(`${channelId}:${userId}:${p.create_at}:${p.message}`);
    const lastReply = Math.max(p.create_at, ...p.replies.map((r) => r.create_at));
    this.addPost(rootId, channelId, userId, '', p.message, JSON.stringify(p.props), p.create_at, lastReply);
    this.addReactions(rootId, channelId, p.reactions);
    for (const r of p.replies) {
      const replyUser = this.userIds.get(r.user)!;
      const id = idFrom(`${rootId}:${replyUser}:${r.create_at}:${r.message}`);
      this.addPost(id, channelId, replyUser, rootId, r.message, '{}', r.create_at, r.create_at);
      this.addReactions(id, channelId, r.reactions);
    }
    if (this.posts.id.length >= BATCH) await this.flushPosts();
    if (this.reactions.post_id!.length >= BATCH) await this.flushReactions();
  }

  private addPost(
    id: string,
    channelId: string,
    userId: string,
    rootId: string,
    message: string,
    props: string,
    createAt: number,
    updateAt: number,
  ): void {
    const b = this.posts;
    b.id.push(id);
    b.channel_id.push(channelId);
    b.user_id.push(userId);
    b.root_id.push(rootId);
    b.message.push(message);
    b.props.push(props);
    b.hashtags.push(parseHashtags(message));
    b.create_at.push(createAt);
    b.update_at.push(updateAt);
  }

  private addReactions(postId: string, channelId: string, reactions: PostData['reactions']): void {
    for (const r of reactions)
      push(this.reactions, {
        post_id: postId,
        user_id: this.userIds.get(r.user)!,
        emoji_name: r.emoji_name,
        channel_id: channelId,
        create_at: r.create_at,
      });
  }

  private async flushPosts(): Promise<void> {
    const b = this.posts;
    if (b.id.length === 0) return;
    this.posts = emptyPosts();
    await this.send(
      `INSERT INTO posts (id, channel_id, user_id, root_id, message, props, hashtags, create_at, update_at)
       SELECT i, ch, u, r, m, p::jsonb, h, c, up FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
         AS x(i, ch, u, r, m, p, h, c, up)
       ON CONFLICT (id) DO NOTHING`,
      [b.id, b.channel_id, b.user_id, b.root_id, b.message, b.props, b.hashtags, b.create_at, b.update_at],
    );
  }

  private async flushReactions(): Promise<void> {
    const r = this.reactions;
    if (r.post_id!.length === 0) return;
    this.reactions = { post_id: [], user_id: [], emoji_name: [], channel_id: [], create_at: [] };
    await this.send(
      `INSERT INTO reactions (post_id, user_id, emoji_name, channel_id, create_at)
       SELECT DISTINCT ON (p, u, e) * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS x(p, u, e, ch, c)
       ON CONFLICT (post_id, user_id, emoji_name) DO NOTHING`,
      [r.post_id, r.user_id, r.emoji_name, r.channel_id, r.create_at],
    );
  }

  /** Writes what is still gathered, then the counters of every channel that got posts. */
  async finish(): Promise<void> {
    await this.flushUsers();
    await this.flushMembers();
    await this.flushPosts();
    await this.flushReactions();
    await this.settle();
    await recountChannels(this.c, [...this.touchedChannels]);
  }
}

function push(columns: Columns, row: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(row)) columns[k]!.push(v);
}
