// The generated k6 script, part 2: the simulated user — login, the state the web app keeps (team,
// channels, posts on screen), pacing, and the WebSocket session with sequence tracking,
// reconnects and post → posted delivery latency.

export const USER_SOURCE = `
// ---- the simulated user ---------------------------------------------------------------------
interface PostRef { id: string; rootId: string; userId: string; channelId: string }
interface ChannelRef { id: string; name: string; type: string }
interface User {
  token: string;
  id: string;
  username: string;
  teamId: string;
  channels: ChannelRef[];
  directory: { id: string; username: string }[];
  current: string;
  recent: PostRef[];
  seen: PostRef[];
  own: PostRef[];
  viewedAt: Record<string, number>;
  threads: string[];
  rate: number;
  socket: Socket | null;
}
interface Socket {
  ws: WebSocket | null;
  connectionId: string;
  nextSeq: number;
  sendSeq: number;
  lostAt: number;
  closing: boolean;
  retry: ReturnType<typeof setTimeout> | null;
}

// Each VU is one JavaScript runtime in k6: this is the VU's own user.
let me: User | null = null;

function pick<T>(list: readonly T[]): T | undefined {
  return list.length === 0 ? undefined : list[Math.floor(Math.random() * list.length)];
}

function pad(n: number, width: number): string {
  let text = String(n);
  while (text.length < width) text = '0' + text;
  return text;
}

/** The account of this VU: the seeded users in turn (several VUs share one beyond their count). */
function accountName(): string {
  const users = MMDRILL.users;
  const prefix = setting('MM_USER_PREFIX', users === null ? undefined : users.prefix);
  const count = Number(setting('MM_USER_COUNT', users === null ? undefined : String(users.count)));
  const width = String(count).length;
  return prefix + '-u' + pad(((exec.vu.idInTest - 1) % count) + 1, width);
}

/** The rate class of a VU (a Weyl sequence, as mmdrill spreads consecutive users over the classes). */
function rateOf(vu: number): number {
  const total = MMDRILL.rates.reduce((sum, r) => sum + r.share, 0);
  const u = (vu * 0.6180339887498949) % 1;
  let cumulative = 0;
  for (const r of MMDRILL.rates) {
    cumulative += r.share / total;
    if (u < cumulative) return r.rate;
  }
  return MMDRILL.rates[MMDRILL.rates.length - 1]?.rate ?? 1;
}

function idleMs(user: User): number {
  const { minMs, avgMs } = MMDRILL.idle;
  return (minMs + Math.random() * Math.max(0, 2 * (avgMs - minMs))) * user.rate;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });
}

/** Logs in once per VU and loads what the web app loads first. */
async function login(): Promise<User> {
  if (me !== null) return me;
  const username = accountName();
  const res = await call(null, 'login', 'POST', '/api/v4/users/login', '/api/v4/users/login', {
    login_id: username,
    password: setting('MM_USER_PASSWORD'),
  });
  const profile = ok<{ id: string; username: string }>(res);
  const token = res.headers.Token ?? res.headers.token ?? '';
  if (token === '') throw new Error('login of ' + username + ' returned no Token header');
  const user: User = {
    token, id: profile.id, username: profile.username, teamId: '', channels: [], directory: [],
    current: '', recent: [], seen: [], own: [], viewedAt: {}, threads: [], rate: rateOf(exec.vu.idInTest),
    socket: null,
  };
  const teams = ok<{ id: string }[]>(
    await call(user, 'login', 'GET', '/api/v4/users/me/teams', '/api/v4/users/me/teams'),
  );
  const team = teams[(exec.vu.idInTest - 1) % Math.max(1, teams.length)];
  if (team === undefined) throw new Error(username + ' is in no team: seed the deployment first');
  user.teamId = team.id;
  const channels = ok<ChannelRef[]>(
    await call(user, 'login', 'GET', '/api/v4/users/me/teams/' + team.id + '/channels',
      '/api/v4/users/me/teams/{team_id}/channels'),
  );
  user.channels = channels.filter((c) => c.type === 'O' || c.type === 'P');
  user.directory = ok<{ id: string; username: string }[]>(
    await call(user, 'login', 'GET', '/api/v4/users?in_team=' + team.id + '&per_page=100',
      '/api/v4/users'),
  );
  me = user;
  return user;
}

interface PostList { order: string[]; posts: Record<string, { id: string; root_id: string; user_id: string; channel_id: string }> }

function refs(list: PostList): PostRef[] {
  const out: PostRef[] = [];
  for (const id of list.order ?? []) {
    const p = list.posts[id];
    if (p !== undefined) out.push({ id: p.id, rootId: p.root_id, userId: p.user_id, channelId: p.channel_id });
  }
  return out;
}

/** The channel on screen now shows these posts. */
function show(user: User, channelId: string, list: PostList): void {
  user.current = channelId;
  user.viewedAt[channelId] = Date.now();
  user.recent = refs(list).reverse();
  remember(user, user.recent);
}

function remember(user: User, posts: PostRef[]): void {
  user.seen = user.seen.concat(posts).slice(-200);
}

function screenChannel(user: User): string {
  if (user.current !== '') return user.current;
  const channel = pick(user.channels);
  if (channel === undefined) throw new Error(user.username + ' has no channel');
  user.current = channel.id;
  return channel.id;
}

// ---- the WebSocket: sequence tracking, reconnects as the web app does, delivery latency ------
// Posts carry their send time, so that every member receiving the posted event (in any VU, on
// any runner) measures the delivery: runners' clocks must be in sync (NTP), as on any cluster.
const SENT_MARK = /\\[mm:(\\d+)\\]/;

function openSocket(user: User): void {
  const socket: Socket = user.socket ?? {
    ws: null, connectionId: '', nextSeq: 0, sendSeq: 1, lostAt: 0, closing: false, retry: null,
  };
  user.socket = socket;
  const resume = socket.connectionId === ''
    ? ''
    : '?connection_id=' + socket.connectionId + '&sequence_number=' + socket.nextSeq;
  const ws = new WebSocket(WS_URL + resume, null, {
    headers: { Authorization: 'Bearer ' + user.token },
    tags: { name: '/api/v4/websocket' },
  });
  socket.ws = ws;
  let first = true;
  ws.onmessage = (event) => {
    if (event === undefined || typeof event.data !== 'string') return;
    const msg = JSON.parse(event.data) as {
      event?: string; seq?: number; seq_reply?: number; data?: Record<string, unknown>;
    };
    if (msg.event === undefined || msg.seq === undefined) return; // a reply to one of ours
    if (first) {
      first = false;
      const hello = msg.event === 'hello';
      wsConnects.add(1, { result: hello ? 'hello' : 'resumed' });
      if (socket.lostAt > 0) {
        wsReconnects.add(1, { kind: hello ? 'new_hello' : 'resumed' });
        wsReconnectTime.add(Date.now() - socket.lostAt);
        socket.lostAt = 0;
      }
      if (hello) socket.nextSeq = msg.seq;
    }
    if (msg.seq !== socket.nextSeq) wsGaps.add(1);
    socket.nextSeq = msg.seq + 1;
    wsEvents.add(1, { event: msg.event });
    if (msg.event === 'hello') socket.connectionId = String(msg.data?.connection_id ?? '');
    if (msg.event === 'posted') received(user, String(msg.data?.post ?? '{}'));
  };
  ws.onerror = () => {
    if (first) wsConnects.add(1, { result: 'failed' });
  };
  ws.onclose = () => {
    socket.ws = null;
    if (socket.closing) return;
    if (socket.lostAt === 0) socket.lostAt = Date.now();
    const delay = MMDRILL.reconnect.minRetryMs + Math.random() * MMDRILL.reconnect.jitterMs;
    socket.retry = setTimeout(() => {
      socket.retry = null;
      if (!socket.closing) openSocket(user);
    }, delay);
  };
}

function received(user: User, text: string): void {
  const post = JSON.parse(text) as { id?: string; message?: string; root_id?: string; user_id?: string; channel_id?: string };
  const mark = SENT_MARK.exec(post.message ?? '');
  if (mark !== null && mark[1] !== undefined) deliveryLatency.add(Math.max(0, Date.now() - Number(mark[1])));
  if (post.id !== undefined && post.channel_id === user.current) {
    const ref = { id: post.id, rootId: post.root_id ?? '', userId: post.user_id ?? '', channelId: post.channel_id };
    user.recent = user.recent.concat([ref]).slice(-60);
    remember(user, [ref]);
  }
}

/** A WebSocket action (user_typing); false when the socket is not open. */
function sendOnSocket(user: User, action: string, data: Record<string, unknown>): boolean {
  const socket = user.socket;
  if (socket === null || socket.ws === null || socket.ws.readyState !== 1) return false;
  socket.ws.send(JSON.stringify({ action, seq: socket.sendSeq++, data }));
  return true;
}

/** Drops the socket as a network change would; onclose reconnects after the backoff. */
function cutSocket(user: User): void {
  const socket = user.socket;
  if (socket === null || socket.ws === null) return;
  socket.lostAt = Date.now();
  socket.ws.close();
}

function closeSocket(user: User): void {
  const socket = user.socket;
  if (socket === null) return;
  socket.closing = true;
  if (socket.retry !== null) clearTimeout(socket.retry);
  if (socket.ws !== null) socket.ws.close();
  user.socket = null;
}
`;
