import { rm } from 'node:fs/promises';
import type { Channel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoturnServer } from '../../src/stack/native/coturn.js';
import { DoubleAppNode } from '../../src/stack/native/double-node.js';
import { freePort } from '../../src/stack/native/ports.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import { ToxiproxyServer } from '../../src/stack/native/toxiproxy.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { rawRequest, type SignedUp, signUp } from '../support/mattermost.js';
import { RawCallsParticipant } from '../support/raw-calls-participant.js';

// Calls on the double: the plugin's REST routes and WebSocket signaling on two app nodes linked
// to one rtcd double (an SFU on libwebrtc), driven by raw WebSockets and libwebrtc peers in the
// test. Media is real Opus RTP forwarded by the SFU.

let cluster: DoubleCluster;
let coturn: CoturnServer;
let toxiproxy: ToxiproxyServer;
let turnDir: string;
let alice: SignedUp; // speaker on node 1
let bob: SignedUp; // speaker on node 2
let carol: SignedUp; // listener on node 1, reconnects through node 2 within the window
let dave: SignedUp; // listener that drops and stays away past the window
let erin: SignedUp; // not in the channel
let team: Team;
let channel: Channel;
const participants: RawCallsParticipant[] = [];

const PLUGIN = '/plugins/com.mattermost.calls';

function participant(user: SignedUp): RawCallsParticipant {
  const p = new RawCallsParticipant(user.user.username, user.client.getToken());
  participants.push(p);
  return p;
}

async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function nodeUrl(i: number): string {
  return cluster.nodes[i]!.url;
}

async function callState(
  user: SignedUp,
  node: number,
): Promise<{ status: number; data: Record<string, unknown> }> {
  const res = await rawRequest(user.client, `${nodeUrl(node)}${PLUGIN}/${channel.id}`, { method: 'GET' });
  return { status: res.response.status, data: res.data as Record<string, unknown> };
}

function sessionIds(state: Record<string, unknown>): string[] {
  const call = state.call as { sessions?: { session_id: string }[] } | undefined;
  return (call?.sessions ?? []).map((s) => s.session_id).sort();
}

beforeAll(async () => {
  // The media path for relay-only clients: coturn behind a Toxiproxy proxy (TURN over TCP).
  turnDir = await createRunDir('mmdrill-calls-turn-');
  coturn = await new CoturnServer({ dir: turnDir }).start();
  toxiproxy = await new ToxiproxyServer({ dir: turnDir, logLevel: 'warn' }).start();
  const turnListen = `127.0.0.1:${await freePort()}`;
  await toxiproxy
    .client()
    .createProxy({ name: 'users-turn', listen: turnListen, upstream: `127.0.0.1:${coturn.port}` });
  cluster = await startDoubleCluster({
    nodes: 2,
    objectStore: false,
    calls: true,
    env: { MM_CALLS_ICE_SERVERS_CONFIGS: JSON.stringify([coturn.iceServer(turnListen)]) },
  });
  alice = await signUp(cluster.url, 'alice');
  [bob, carol, dave, erin] = await Promise.all([
    signUp(cluster.url, 'bob'),
    signUp(cluster.url, 'carol'),
    signUp(cluster.url, 'dave'),
    signUp(cluster.url, 'erin'),
  ]);
  team = await alice.client.createTeam({ name: 'calls', display_name: 'Calls', type: 'O' } as Team);
  channel = await alice.client.createChannel({
    team_id: team.id,
    name: 'standup',
    display_name: 'Standup',
    type: 'P',
  } as Channel);
  for (const u of [bob, carol, dave, erin]) await alice.client.addToTeam(team.id, u.user.id);
  for (const u of [bob, carol, dave]) await alice.client.addToChannel(u.user.id, channel.id);
}, 60_000);

afterAll(async () => {
  for (const p of participants) p.close();
  await cluster?.stop();
  await Promise.allSettled([toxiproxy?.stop(), coturn?.stop()]);
  if (turnDir && !process.env.MMDRILL_KEEP_RUN_DIRS) await rm(turnDir, { recursive: true, force: true });
});

describe('Calls REST routes', () => {
  it('answers version without auth, config and call state only with a session', async () => {
    const version = await fetch(`${nodeUrl(1)}${PLUGIN}/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toMatchObject({ version: expect.any(String), build: expect.any(String) });

    const anonymous = await fetch(`${nodeUrl(0)}${PLUGIN}/config`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe('Unauthorized\n');

    const config = await rawRequest(bob.client, `${nodeUrl(1)}${PLUGIN}/config`, { method: 'GET' });
    expect(config.response.status).toBe(200);
    expect(config.data).toMatchObject({
      ICEServersConfigs: expect.any(Array),
      NeedsTURNCredentials: false,
      AllowScreenSharing: true,
    });

    const active = await rawRequest(bob.client, `${nodeUrl(1)}${PLUGIN}/calls/${channel.id}/active`, {
      method: 'GET',
    });
    expect(active.response.status).toBe(200);
    expect(active.data).toEqual({ active: false });

    const outsider = await rawRequest(erin.client, `${nodeUrl(0)}${PLUGIN}/calls/${channel.id}/active`, {
      method: 'GET',
    });
    expect(outsider.response.status).toBe(403);
  });

  it('answers 404 for the plugin routes on a node without Calls', async () => {
    const plain = new DoubleAppNode({
      dir: cluster.runDir,
      nodeId: 'n-nocalls',
      databaseUrl: cluster.postgres.url('mattermost'),
    });
    await plain.start();
    try {
      const res = await rawRequest(alice.client, `${plain.url}${PLUGIN}/config`, { method: 'GET' });
      expect(res.response.status).toBe(404);
      // and a join on its WebSocket is silently dropped: no reply, no event
      const p = participant(alice);
      await p.connect(plain.url);
      const before = p.events.length;
      p.send('join', { channelID: channel.id });
      await new Promise((r) => setTimeout(r, 500));
      expect(p.events.slice(before).filter((e) => e.event.startsWith('custom_'))).toEqual([]);
      p.close();
    } finally {
      await plain.stop({ timeoutMs: 5_000 });
    }
  });
});

describe('Calls signaling and media', () => {
  const a = () => participants.find((p) => p.name === 'alice' && p.pc)!;
  let speakerA: RawCallsParticipant;
  let speakerB: RawCallsParticipant;
  let listenerC: RawCallsParticipant;
  let listenerD: RawCallsParticipant;

  it('refuses a join into a channel the user is not a member of', async () => {
    const p = participant(erin);
    await p.connect(nodeUrl(0));
    await expect(p.join(channel.id)).rejects.toThrow(/forbidden/);
    p.close();
  });

  it('joins: join event with the connection id, call_start and user_joined, then ICE connects', async () => {
    speakerA = participant(alice);
    const connID = await speakerA.connect(nodeUrl(0));
    await speakerA.join(channel.id, { speak: true });
    const join = speakerA.eventsOf('join')[0]!;
    expect(join.data).toEqual({ connID });
    expect(join.broadcast.connection_id).toBe(connID);
    expect(speakerA.eventsOf('call_start')[0]?.data).toMatchObject({
      channelID: channel.id,
      owner_id: alice.user.id,
      host_id: alice.user.id,
    });
    expect(speakerA.eventsOf('user_joined')[0]?.data).toEqual({
      user_id: alice.user.id,
      session_id: connID,
      channelID: channel.id,
    });
    await until(() => speakerA.pc?.connectionState === 'connected', 10_000, 'alice ICE connected');
    expect(a()).toBe(speakerA);

    // the call state is the same from the other node
    const state = await callState(bob, 1);
    expect(state.status).toBe(200);
    expect(sessionIds(state.data)).toEqual([connID]);
    const active = await rawRequest(bob.client, `${nodeUrl(1)}${PLUGIN}/calls/${channel.id}/active`, {
      method: 'GET',
    });
    expect(active.data).toEqual({ active: true });
  });

  it('forwards both speakers to a listener and to each other across nodes, renegotiating from the SFU', async () => {
    speakerB = participant(bob);
    listenerC = participant(carol);
    listenerD = participant(dave);
    await Promise.all([
      speakerB.connect(nodeUrl(1)),
      listenerC.connect(nodeUrl(0)),
      listenerD.connect(nodeUrl(1)),
    ]);
    await speakerB.join(channel.id, { speak: true });
    await Promise.all([listenerC.join(channel.id), listenerD.join(channel.id)]);
    for (const p of [speakerB, listenerC, listenerD]) {
      await until(() => p.pc?.connectionState === 'connected', 10_000, `${p.name} ICE connected`);
    }
    const speakers = [speakerA.originalConnID, speakerB.originalConnID];
    const first = await waitForPackets(listenerC, speakers);
    await new Promise((r) => setTimeout(r, 1_000));
    const later = await listenerC.packetsBySender();
    for (const s of speakers) expect(later.get(s)!).toBeGreaterThan(first.get(s)!);
    // speakers hear each other (not themselves)
    const heardByA = await waitForPackets(speakerA, [speakerB.originalConnID]);
    expect(heardByA.has(speakerA.originalConnID)).toBe(false);
    await waitForPackets(speakerB, [speakerA.originalConnID]);
    await waitForPackets(listenerD, speakers);
    expect([...participants].flatMap((p) => p.signalErrors)).toEqual([]);
  });

  it('sends mute and screen events to the participants, and forwards the screen share as video', async () => {
    const since = listenerC.events.length;
    speakerA.send('mute');
    await speakerB.shareScreen();
    await listenerC.waitFor(
      () =>
        listenerC.eventsOf('user_muted', since).length > 0 &&
        listenerC.eventsOf('user_screen_on', since).length > 0,
      5_000,
      'user_muted and user_screen_on',
    );
    expect(listenerC.eventsOf('user_muted', since)[0]!.data).toEqual({
      userID: alice.user.id,
      session_id: speakerA.originalConnID,
      channelID: channel.id,
    });
    const state = await callState(carol, 1);
    expect((state.data.call as Record<string, unknown>).screen_sharing_session_id).toBe(
      speakerB.originalConnID,
    );
    // the client's own renegotiation (its screen track) is answered, and the SFU offers the video on
    for (const p of [listenerC, speakerA]) {
      await until(
        async () => ((await p.packetsBySender('video')).get(speakerB.originalConnID) ?? 0) > 0,
        15_000,
        `${p.name} receiving bob's screen`,
      );
    }
    expect((await speakerB.packetsBySender('video')).size).toBe(0);
  });

  it('keeps a session whose client reconnects within 10 s and tears down one that does not', async () => {
    const observer = speakerA;
    const since = observer.events.length;
    listenerC.drop();
    listenerD.drop();
    await new Promise((r) => setTimeout(r, 2_000));
    // carol comes back through the other node with a new connection id
    await listenerC.reconnect(nodeUrl(1), channel.id);
    expect(listenerC.connID).not.toBe(listenerC.originalConnID);
    await until(
      () => observer.eventsOf('user_left', since).length > 0,
      12_000,
      'user_left for the session that did not reconnect',
    );
    const left = observer.eventsOf('user_left', since);
    expect(left.map((e) => e.data.session_id)).toEqual([listenerD.originalConnID]);
    const state = await callState(alice, 0);
    expect(sessionIds(state.data)).toEqual(
      [speakerA.originalConnID, speakerB.originalConnID, listenerC.originalConnID].sort(),
    );
    // carol's media survived the drop
    const before = await listenerC.packetsBySender();
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await listenerC.packetsBySender();
    expect(after.get(speakerB.originalConnID)!).toBeGreaterThan(before.get(speakerB.originalConnID)!);

    // dave's late reconnect is refused; he must join again
    await listenerD.connect(nodeUrl(0));
    const errSince = listenerD.events.length;
    listenerD.send('reconnect', {
      channelID: channel.id,
      originalConnID: listenerD.originalConnID,
      prevConnID: listenerD.originalConnID,
    });
    await listenerD.waitFor(() => listenerD.eventsOf('error', errSince).length > 0, 5_000, 'reconnect error');
    expect(listenerD.eventsOf('error', errSince)[0]!.data).toEqual({
      data: 'session not found in call state',
      connID: listenerD.connID,
    });
  }, 30_000);

  it('relays a relay-only participant through coturn behind Toxiproxy; a latency toxic shows in its RTT', async () => {
    const config = await rawRequest(erin.client, `${nodeUrl(0)}${PLUGIN}/config`, { method: 'GET' });
    const iceServers = (config.data as { ICEServersConfigs: { urls: string[] }[] }).ICEServersConfigs;
    expect(iceServers[0]!.urls[0]).toMatch(/^turn:127\.0\.0\.1:\d+\?transport=tcp$/);
    // the proxy's port, not coturn's own: media must cross Toxiproxy
    expect(iceServers[0]!.urls[0]).not.toContain(`:${coturn.port}?`);
    await alice.client.addToChannel(erin.user.id, channel.id);
    const relayed = participant(erin);
    await relayed.connect(nodeUrl(1));
    try {
      await relayed.join(channel.id, { pcConfig: { iceServers, iceTransportPolicy: 'relay' } });
      await until(() => relayed.pc?.connectionState === 'connected', 15_000, 'relayed ICE connected');
      await waitForPackets(relayed, [speakerA.originalConnID, speakerB.originalConnID]);
      // getStats names the selected pair (and its first RTT) a little after media starts flowing.
      let direct = await relayed.selectedPair();
      await until(
        async () => {
          direct = await relayed.selectedPair();
          return direct.localType !== '' && Number.isFinite(direct.rtt);
        },
        10_000,
        'a selected candidate pair with an RTT',
      );
      expect(direct).toMatchObject({ localType: 'relay', relayProtocol: 'tcp' });
      const client = new ToxiproxyClient(toxiproxy.apiUrl);
      await client.addToxic('users-turn', {
        type: 'latency',
        stream: 'downstream',
        attributes: { latency: 300, jitter: 0 },
      });
      try {
        await until(async () => (await relayed.selectedPair()).rtt > 0.25, 15_000, 'RTT above 250 ms');
      } finally {
        await client.removeToxic('users-turn', 'latency_downstream');
      }
      expect(direct.rtt).toBeLessThan(0.1);
    } finally {
      // Whatever failed above, the last test needs this session gone for the call to end.
      relayed.send('leave');
    }
  }, 45_000);

  it('ends the call when the last session leaves', async () => {
    const since = speakerA.events.length;
    for (const p of [speakerB, listenerC]) p.send('leave');
    const leaving = [speakerB.originalConnID, listenerC.originalConnID];
    await speakerA.waitFor(
      () =>
        leaving.every((id) => speakerA.eventsOf('user_left', since).some((e) => e.data.session_id === id)),
      5_000,
      'user_left of bob and carol',
    );
    speakerA.send('leave');
    await speakerA.waitFor(() => speakerA.eventsOf('call_end', since).length > 0, 5_000, 'call_end');
    const active = await rawRequest(bob.client, `${nodeUrl(1)}${PLUGIN}/calls/${channel.id}/active`, {
      method: 'GET',
    });
    expect(active.data).toEqual({ active: false });
  });
});

async function waitForPackets(p: RawCallsParticipant, senders: string[]): Promise<Map<string, number>> {
  let last = new Map<string, number>();
  await until(
    async () => {
      last = await p.packetsBySender();
      return senders.every((s) => (last.get(s) ?? 0) > 0);
    },
    15_000,
    `${p.name} receiving audio from ${senders.join(', ')}`,
  );
  return last;
}
