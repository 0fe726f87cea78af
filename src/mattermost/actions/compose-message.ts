import { messageText } from '../message-text.js';
import { SAMPLE_JPEG, SAMPLE_PNG } from '../sample-images.js';
import type { ChannelRef, SimulatedUser } from '../simulated-user.js';
import { profileImage } from './post-info.js';

// Writing a message as load-test-ng does (mattermost/mattermost-load-test-ng:
// loadtest/control/simulcontroller/actions.go createMessage, utils.go emulateMention,
// loadtest/control/utils.go EmulateUserTyping, _attachFilesToObj): 10 % mention a user, typed a
// character at a time (100–300 ms apart, 15 % with an extra mistyped request), each prefix asked
// of `GET /users/autocomplete` plus the image of every user it returns, until one user matches or
// the cutoff; 2 % of posts and drafts attach 1–3 files uploaded in parallel.

const MENTION_SHARE = 0.1;
const MISTYPE_SHARE = 0.15;
const MENTION_CUTOFF = 4;
export const ATTACH_SHARE = 0.02;

/** The message text, with the autocomplete requests of a mention when there is one. */
export async function composeMessage(
  user: SimulatedUser,
  channel: ChannelRef,
  words: [number, number] = [3, 20],
): Promise<string> {
  let message = '';
  if (user.rng.chance(MENTION_SHARE)) {
    const other = user.rng.pick(user.directory);
    if (other) {
      await mentionTyping(user, channel, other.username);
      message = `@${other.username} `;
    }
  }
  return message + messageText(user.rng, words[0], words[1]);
}

async function mentionTyping(user: SimulatedUser, channel: ChannelRef, name: string): Promise<void> {
  const cutoff = Math.min(name.length, MENTION_CUTOFF);
  const pace = 100 + user.rng.int(200);
  for (let i = 1; i <= cutoff; i++) {
    await user.pause(pace);
    const found = await autocomplete(user, channel, name.slice(0, i));
    if (found <= 1 || i === cutoff) return;
    if (user.rng.chance(MISTYPE_SHARE)) {
      await user.pause(pace);
      await autocomplete(user, channel, `${name.slice(0, i)}a`);
    }
  }
}

/**
 * One autocomplete request. Load-test-ng sends an empty `in_team` for DMs and GMs, which the server
 * rejects (api4/user.go autocompleteUsers); the web app sends the current team, and so does this.
 */
async function autocomplete(user: SimulatedUser, channel: ChannelRef, term: string): Promise<number> {
  const teamId = channel.teamId || user.team.id;
  const answer = await user.call<{ users?: { id: string }[] }>(
    'GET',
    `/users/autocomplete?in_channel=${channel.id}&in_team=${teamId}&limit=100&name=${encodeURIComponent(term)}`,
  );
  const users = answer.data.users ?? [];
  for (const u of users) await profileImage(user, u.id);
  return users.length;
}

/** UPLOAD(n): n files uploaded in parallel, each `POST /files`; their ids. */
export async function uploadFiles(user: SimulatedUser, channelId: string, count: number): Promise<string[]> {
  const one = async () => {
    const extension = user.rng.pick(['png', 'jpg', 'mp4', 'txt'])!;
    const bytes =
      extension === 'png'
        ? SAMPLE_PNG
        : extension === 'jpg'
          ? SAMPLE_JPEG
          : new Uint8Array(1024 + user.rng.int(4096));
    const form = new FormData();
    form.append('channel_id', channelId);
    form.append('files', new Blob([bytes]), `test_upload.${extension}`);
    const uploaded = await user.client.uploadFile(form);
    return uploaded.file_infos[0]?.id ?? '';
  };
  const ids = await Promise.all(Array.from({ length: count }, one));
  return ids.filter(Boolean);
}

/** 2 % of the time (with an object store), 1–3 attachments; else none. */
export async function maybeAttach(user: SimulatedUser, channelId: string): Promise<string[]> {
  if (!user.fileUploads || !user.rng.chance(ATTACH_SHARE)) return [];
  return uploadFiles(user, channelId, 1 + user.rng.int(3));
}
