import type { WsEvent } from '../model/types.js';
import type { WebConnection } from './connection.js';

/**
 * Which connections belong to which user and channel on this node, kept current from the
 * membership events themselves (user_added, direct_added, …) so that fan-out never has to ask
 * the database and a connection's events stay in order.
 */
export class MembershipIndex {
  private readonly byUser = new Map<string, Set<WebConnection>>();
  private readonly byChannel = new Map<string, Set<WebConnection>>();

  add(conn: WebConnection): void {
    setOf(this.byUser, conn.userId).add(conn);
    for (const channelId of conn.channels) setOf(this.byChannel, channelId).add(conn);
  }

  remove(conn: WebConnection): void {
    this.byUser.get(conn.userId)?.delete(conn);
    if (this.byUser.get(conn.userId)?.size === 0) this.byUser.delete(conn.userId);
    for (const channelId of conn.channels) this.unlink(channelId, conn);
  }

  connectionsOf(userId: string): Set<WebConnection> {
    return this.byUser.get(userId) ?? new Set();
  }

  /** Candidate connections for an event; WebConnection.wants makes the final decision. */
  targets(event: WsEvent, all: Map<string, WebConnection>): WebConnection[] {
    const b = event.broadcast;
    if (b.connection_id) {
      const conn = all.get(b.connection_id);
      return conn ? [conn] : [];
    }
    if (b.user_id) return [...this.connectionsOf(b.user_id)];
    if (b.channel_id) return [...(this.byChannel.get(b.channel_id) ?? [])];
    return [...all.values()];
  }

  /** Joins take effect before delivery, so the joining user sees the event that added them. */
  applyBefore(event: WsEvent): void {
    const d = event.data;
    const channelId = event.broadcast.channel_id;
    switch (event.event) {
      case 'user_added':
        this.join(String(d.user_id ?? ''), channelId);
        break;
      case 'direct_added':
        this.join(String(d.creator_id ?? ''), channelId);
        this.join(String(d.teammate_id ?? ''), channelId);
        break;
      case 'group_added':
        for (const userId of parseIds(d.teammate_ids)) this.join(userId, channelId);
        break;
      case 'channel_created':
        this.join(event.broadcast.user_id, String(d.channel_id ?? ''));
        break;
      case 'added_to_team':
        for (const conn of this.connectionsOf(String(d.user_id ?? '')))
          conn.teams.add(String(d.team_id ?? ''));
        break;
    }
  }

  /** Leaves take effect after delivery, so the leaving user still sees their own removal. */
  applyAfter(event: WsEvent): void {
    const d = event.data;
    if (event.event === 'user_removed') this.leave(String(d.user_id ?? ''), event.broadcast.channel_id);
    if (event.event === 'leave_team') {
      for (const conn of this.connectionsOf(String(d.user_id ?? '')))
        conn.teams.delete(String(d.team_id ?? ''));
    }
  }

  private join(userId: string, channelId: string): void {
    if (!userId || !channelId) return;
    for (const conn of this.connectionsOf(userId)) {
      conn.channels.add(channelId);
      setOf(this.byChannel, channelId).add(conn);
    }
  }

  private leave(userId: string, channelId: string): void {
    if (!userId || !channelId) return;
    for (const conn of this.connectionsOf(userId)) {
      conn.channels.delete(channelId);
      this.unlink(channelId, conn);
    }
  }

  private unlink(channelId: string, conn: WebConnection): void {
    const set = this.byChannel.get(channelId);
    set?.delete(conn);
    if (set?.size === 0) this.byChannel.delete(channelId);
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function parseIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
