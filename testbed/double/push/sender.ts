import { mentionKeys } from '../api/post-text.js';
import { valueAt } from '../mm-config/defaults.js';
import { newId } from '../model/ids.js';
import type { Post } from '../model/types.js';
import type { Services } from '../services.js';
import type { ChannelRow } from '../store/channels.js';
import { buildPushNotification, devicePlatform, type PushContents } from './message.js';

// After a post commits, each member it mentions (every other member of a DM or group message)
// who has a mobile session (a device id, PUT /api/v4/users/sessions/device) gets a push through
// EmailSettings.PushNotificationServer, when EmailSettings.SendPushNotifications is on; its
// contents follow EmailSettings.PushNotificationContents. Mattermost also weighs the member's
// status and notification preferences; the double pushes to every mentioned device.
// The double sends only to a push server on this machine: a configured outside server (such as
// Mattermost's default push-test.mattermost.com) is logged and skipped, so no test ever sends a
// message text off the host.

const CONTENTS: readonly PushContents[] = ['full', 'generic', 'generic_no_channel', 'id_loaded'];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SEND_TIMEOUT_MS = 5_000;
const SERVER_ID = newId();

export interface PushTrigger {
  channel: ChannelRow;
  senderUsername: string;
  /** Users the post mentions (for DMs and GMs: every other member). */
  mentions: string[];
}

/** Fire and forget: failures are logged, never surfaced to the poster (as in Mattermost). */
export function sendPushNotifications(s: Services, post: Post, trigger: PushTrigger): void {
  const config = s.mmConfig.current();
  if (valueAt(config, ['EmailSettings', 'SendPushNotifications']) !== true) return;
  const server = String(valueAt(config, ['EmailSettings', 'PushNotificationServer']) ?? '');
  if (server === '' || trigger.mentions.length === 0) return;
  let url: URL;
  try {
    url = new URL('/api/v1/send_push', server.endsWith('/') ? server : `${server}/`);
  } catch {
    s.log.warn('push not sent: PushNotificationServer is not a URL');
    return;
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    s.log.warn('push not sent: the double sends pushes only to a push server on 127.0.0.1', {
      push_server_host: url.hostname,
    });
    return;
  }
  const configured = valueAt(config, ['EmailSettings', 'PushNotificationContents']);
  const contents = CONTENTS.find((c) => c === configured) ?? 'generic';
  const keys = mentionKeys(post.message);
  deliver(s, url, contents, post, trigger, keys.channelWide).catch((err: unknown) =>
    s.log.warn('Failed to send to push proxy', { post_id: post.id, reason: String(err) }),
  );
}

async function deliver(
  s: Services,
  url: URL,
  contents: PushContents,
  post: Post,
  trigger: PushTrigger,
  channelWide: boolean,
): Promise<void> {
  const { rows } = await s.db.read<{ user_id: string; device_id: string }>(
    'SessionStore.GetSessionsWithActiveDeviceIds',
    `SELECT DISTINCT user_id, device_id FROM sessions
      WHERE user_id = ANY($1) AND device_id <> '' AND expires_at > $2`,
    [trigger.mentions, Date.now()],
  );
  for (const row of rows) {
    const message = buildPushNotification(
      contents,
      {
        post,
        channel: trigger.channel,
        senderUsername: trigger.senderUsername,
        explicitMention: !channelWide,
        channelWideMention: channelWide,
      },
      devicePlatform(row.device_id),
      { serverId: SERVER_ID, ackId: newId() },
    );
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    if (!res.ok) s.log.warn('Failed to send to push proxy', { post_id: post.id, status: res.status });
  }
}
