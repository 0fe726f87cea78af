import type { Action } from './action.js';
import { addReaction } from './add-reaction.js';
import { clickPermalink } from './click-permalink.js';
import { createPost } from './create-post.js';
import { deleteDraft } from './delete-draft.js';
import { editPost } from './edit-post.js';
import { getDrafts } from './get-drafts.js';
import { getPosts } from './get-posts.js';
import { openDirectChannel } from './open-direct-channel.js';
import { ping } from './ping.js';
import { reconnectWebSocket } from './reconnect-websocket.js';
import { scrollChannel } from './scroll-channel.js';
import { searchChannels } from './search-channels.js';
import { searchPosts } from './search-posts.js';
import { searchUsers } from './search-users.js';
import { switchChannel } from './switch-channel.js';
import { typing } from './typing.js';
import { unreadCheck } from './unread-check.js';
import { updateThreadRead } from './update-thread-read.js';
import { uploadFile } from './upload-file.js';
import { upsertDraft } from './upsert-draft.js';
import { viewGlobalThreads } from './view-global-threads.js';
import { viewThread } from './view-thread.js';

/** The actions of the user model. */
export const USER_ACTIONS = {
  switch_channel: switchChannel,
  scroll_channel: scrollChannel,
  delete_draft: deleteDraft,
  unread_check: unreadCheck,
  create_post: createPost,
  open_direct_channel: openDirectChannel,
  view_global_threads: viewGlobalThreads,
  upsert_draft: upsertDraft,
  update_thread_read: updateThreadRead,
  click_permalink: clickPermalink,
  view_thread: viewThread,
  reconnect_websocket: reconnectWebSocket,
  add_reaction: addReaction,
  edit_post: editPost,
  get_drafts: getDrafts,
  search_users: searchUsers,
  search_posts: searchPosts,
  search_channels: searchChannels,
  typing,
  upload_file: uploadFile,
} as const satisfies Record<string, Action>;

export type UserActionName = keyof typeof USER_ACTIONS;
export const USER_ACTION_NAMES = Object.keys(USER_ACTIONS) as UserActionName[];

/** Actions a fixed loop may run: the user model's plus two for accuracy tests and benches. */
export const LOOP_ACTIONS = { ...USER_ACTIONS, ping, get_posts: getPosts } as const satisfies Record<
  string,
  Action
>;
export type LoopActionName = keyof typeof LOOP_ACTIONS;
export const LOOP_ACTION_NAMES = Object.keys(LOOP_ACTIONS) as LoopActionName[];

/**
 * Relative frequencies Mattermost derived from its busiest production traffic (create post = 1;
 * docs/reference-architectures.md). Two are not in that table: `typing` (a WebSocket
 * message, invisible in REST traffic; half as often as posts, matching upsert_draft, the other
 * trace of typing) and `upload_file` (a post with an attachment; 5 % as often as posts, only
 * where the environment has an object store).
 */
export const PRODUCTION_MIX: Readonly<Record<UserActionName, number>> = {
  switch_channel: 6.52,
  scroll_channel: 1.99,
  delete_draft: 1.41,
  unread_check: 1.0,
  create_post: 1.0,
  open_direct_channel: 0.98,
  view_global_threads: 0.6,
  upsert_draft: 0.5,
  update_thread_read: 0.32,
  click_permalink: 0.3,
  view_thread: 0.28,
  reconnect_websocket: 0.144,
  add_reaction: 0.13,
  edit_post: 0.04,
  get_drafts: 0.037,
  search_users: 0.032,
  search_posts: 0.022,
  search_channels: 0.015,
  typing: 0.5,
  upload_file: 0.05,
};
