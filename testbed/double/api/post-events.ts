import type { Post } from '../model/types.js';
import type { Services } from '../services.js';
import type { ChannelRow } from '../store/channels.js';
import { threadForFollowers } from '../store/threads.js';
import { broadcastTo } from '../ws/broadcast.js';

// WebSocket events of post changes, published only after the change committed.

export interface PostedContext {
  channel: ChannelRow;
  senderUsername: string;
  /** Members the message mentions (JSON `mentions`). */
  mentions: string[];
  /** Users following the thread, for a reply (JSON `followers`). */
  followers: string[];
}

export function publishPosted(s: Services, post: Post, c: PostedContext): void {
  const data: Record<string, unknown> = {
    channel_display_name: c.channel.type === 'D' ? `@${c.senderUsername}` : c.channel.display_name,
    channel_name: c.channel.name,
    channel_type: c.channel.type,
    post: JSON.stringify(post),
    sender_name: `@${c.senderUsername}`,
    set_online: true,
    team_id: c.channel.team_id,
  };
  if (c.mentions.length > 0) data.mentions = JSON.stringify(c.mentions);
  if (c.followers.length > 0) data.followers = JSON.stringify(c.followers);
  s.events.publish({ event: 'posted', data, broadcast: broadcastTo({ channel_id: post.channel_id }) });
  s.metrics.postCreated();
  s.metrics.postBroadcast();
}

export function publishPostEdited(s: Services, post: Post): void {
  s.events.publish({
    event: 'post_edited',
    data: { post: JSON.stringify(post) },
    broadcast: broadcastTo({ channel_id: post.channel_id }),
  });
}

export function publishPostDeleted(s: Services, post: Post, deletedBy: string): void {
  s.events.publish({
    event: 'post_deleted',
    data: { post: JSON.stringify(post), delete_by: deletedBy },
    broadcast: broadcastTo({ channel_id: post.channel_id }),
  });
}

/** thread_updated to every follower, each with their own unread counts (best effort). */
export function publishThreadUpdates(s: Services, rootId: string, teamId: string): void {
  threadForFollowers(s.db, rootId).then(
    (threads) => {
      for (const [userId, thread] of threads) {
        s.events.publish({
          event: 'thread_updated',
          data: { thread: JSON.stringify(thread) },
          broadcast: broadcastTo({ user_id: userId, team_id: teamId }),
        });
      }
    },
    (err: unknown) => s.log.warn('thread_updated not sent', { thread_id: rootId, error: String(err) }),
  );
}
