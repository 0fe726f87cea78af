import type { Post } from '../model/types.js';
import type { ChannelRow } from '../store/channels.js';

// The push notification Mattermost builds for one post and one recipient
// (server/channels/app/notification_push.go): with `full` contents the message text goes to the
// push proxy (and on to Apple or Google); `generic` and `generic_no_channel` send who wrote and
// where; `id_loaded` sends only ids, and the app fetches the post from the server itself.

export type PushContents = 'full' | 'generic' | 'generic_no_channel' | 'id_loaded';

/** The JSON body of `POST <push server>/api/v1/send_push` (model.PushNotification). */
export interface PushNotification {
  ack_id: string;
  platform: string;
  server_id: string;
  device_id: string;
  post_id: string;
  category: string;
  message: string;
  badge: number;
  team_id: string;
  channel_id: string;
  root_id: string;
  channel_name?: string;
  type: 'message';
  sender_id: string;
  sender_name?: string;
  version: 'v2';
  is_crt_enabled: boolean;
  is_id_loaded: boolean;
  post_type: string;
  channel_type: string;
}

export interface PushContext {
  post: Post;
  channel: ChannelRow;
  senderUsername: string;
  /** True when the recipient is named (@user), false for @channel/@all/@here. */
  explicitMention: boolean;
  channelWideMention: boolean;
}

/** "apple:abc" → platform "apple", device id "abc" (model.PushNotification.SetDeviceIdAndPlatform). */
export function devicePlatform(deviceId: string): { platform: string; deviceId: string } {
  const at = deviceId.indexOf(':');
  return at < 0
    ? { platform: '', deviceId }
    : { platform: deviceId.slice(0, at), deviceId: deviceId.slice(at + 1) };
}

function textFor(contents: PushContents, c: PushContext, sender: string): string {
  const direct = c.channel.type === 'D';
  if (c.post.message === '' && c.post.file_ids.length > 0) return `${sender} attached a file.`;
  if (contents === 'full') return direct ? c.post.message : `${sender}: ${c.post.message}`;
  if (direct) return 'sent you a message.';
  if (c.channelWideMention) return `${sender} notified the channel.`;
  if (c.explicitMention) return `${sender} mentioned you.`;
  return `${sender} posted a message.`;
}

export function buildPushNotification(
  contents: PushContents,
  c: PushContext,
  device: { platform: string; deviceId: string },
  ids: { serverId: string; ackId: string },
): PushNotification {
  const common = {
    ack_id: ids.ackId,
    platform: device.platform,
    server_id: ids.serverId,
    device_id: device.deviceId,
    post_id: c.post.id,
    category: 'CAN_REPLY',
    badge: 1,
    team_id: c.channel.team_id,
    channel_id: c.post.channel_id,
    root_id: c.post.root_id,
    type: 'message' as const,
    sender_id: c.post.user_id,
    version: 'v2' as const,
    is_crt_enabled: false,
    post_type: c.post.type,
    channel_type: c.channel.type,
  };
  if (contents === 'id_loaded')
    return { ...common, message: "You've received a new message.", is_id_loaded: true };
  const sender = `@${c.senderUsername}`;
  const channelName = c.channel.type === 'D' ? sender : c.channel.display_name;
  return {
    ...common,
    message: textFor(contents, c, sender),
    is_id_loaded: false,
    sender_name: sender,
    ...((contents !== 'generic_no_channel' || c.channel.type === 'D') && { channel_name: channelName }),
  };
}
