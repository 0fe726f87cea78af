// What the server reads out of a message text: hashtags and @-mentions.

const HASHTAG = /^#[\p{L}][\p{L}\p{N}_.-]*[\p{L}\p{N}]$/u;
const HASHTAGS_MAX_LENGTH = 1000;

/** Mattermost's ParseHashtags: #words of at least 3 characters, trailing punctuation trimmed. */
export function parseHashtags(message: string): string {
  const tags: string[] = [];
  for (const word of message.split(/\s+/)) {
    const tag = word.replace(/^[^#]*(?=#)/, '').replace(/[.,!?:;)\]]+$/, '');
    if (tag.length >= 3 && HASHTAG.test(tag) && !tags.includes(tag)) tags.push(tag);
  }
  let out = tags.join(' ');
  while (out.length > HASHTAGS_MAX_LENGTH) out = out.slice(0, out.lastIndexOf(' '));
  return out;
}

const MENTION = /(?:^|[^\p{L}\p{N}_@])@([a-z0-9][a-z0-9._-]*)/giu;
const CHANNEL_WIDE = new Set(['channel', 'all', 'here']);

export interface MentionKeys {
  /** Lower-cased usernames, with and without trailing punctuation (`@bob.` may mean bob). */
  usernames: string[];
  /** @channel, @all or @here: every member is mentioned. */
  channelWide: boolean;
}

export function mentionKeys(message: string): MentionKeys {
  const usernames = new Set<string>();
  let channelWide = false;
  for (const match of message.matchAll(MENTION)) {
    const name = (match[1] ?? '').toLowerCase();
    const trimmed = name.replace(/[._-]+$/, '');
    if (CHANNEL_WIDE.has(name) || CHANNEL_WIDE.has(trimmed)) channelWide = true;
    usernames.add(name);
    if (trimmed) usernames.add(trimmed);
  }
  return { usernames: [...usernames], channelWide };
}
