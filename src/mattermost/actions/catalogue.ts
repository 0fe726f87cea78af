import { ackToPost } from './ack-to-post.js';
import type { Action } from './action.js';
import { addChannelBookmark } from './add-channel-bookmark.js';
import { addReaction } from './add-reaction.js';
import { clickPermalink } from './click-permalink.js';
import { clickUserProfile } from './click-user-profile.js';
import { createAckPost } from './create-ack-post.js';
import { createDirectChannel } from './create-direct-channel.js';
import { createGroupChannel } from './create-group-channel.js';
import { createPersistentNotificationPost } from './create-persistent-notification-post.js';
import { createPost } from './create-post.js';
import { createPostReminder } from './create-post-reminder.js';
import { createPrivateChannel } from './create-private-channel.js';
import { createPublicChannel } from './create-public-channel.js';
import { createScheduledPost } from './create-scheduled-post.js';
import { createSidebarCategory } from './create-sidebar-category.js';
import { deleteChannelBookmark } from './delete-channel-bookmark.js';
import { deleteDraft } from './delete-draft.js';
import { deletePost } from './delete-post.js';
import { deleteScheduledPost } from './delete-scheduled-post.js';
import { editPost } from './edit-post.js';
import { followThread } from './follow-thread.js';
import { fullReload } from './full-reload.js';
import { generateUserReport } from './generate-user-report.js';
import { getDrafts } from './get-drafts.js';
import { getPosts } from './get-posts.js';
import { joinChannel } from './join-channel.js';
import { logoutLogin } from './logout-login.js';
import { markAllThreadsRead } from './mark-all-threads-read.js';
import { openDirectChannel } from './open-direct-channel.js';
import { ping } from './ping.js';
import { reconnectWebSocket } from './reconnect-websocket.js';
import { removeCustomStatus } from './remove-custom-status.js';
import { scrollChannel } from './scroll-channel.js';
import { searchChannels } from './search-channels.js';
import { searchGroupChannels } from './search-group-channels.js';
import { searchPosts } from './search-posts.js';
import { searchPostsAllTeams } from './search-posts-all-teams.js';
import { searchUsers } from './search-users.js';
import { sendScheduledPost } from './send-scheduled-post.js';
import { switchChannel } from './switch-channel.js';
import { switchTeam } from './switch-team.js';
import { typing } from './typing.js';
import { unfollowThread } from './unfollow-thread.js';
import { unreadCheck } from './unread-check.js';
import { updateChannelBookmark } from './update-channel-bookmark.js';
import { updateChannelBookmarkSortOrder } from './update-channel-bookmark-sort-order.js';
import { updateCustomAttribute } from './update-custom-attribute.js';
import { updateCustomStatus } from './update-custom-status.js';
import { updateScheduledPost } from './update-scheduled-post.js';
import { updateSidebarCategory } from './update-sidebar-category.js';
import { updateThreadRead } from './update-thread-read.js';
import { uploadFile } from './upload-file.js';
import { upsertDraft } from './upsert-draft.js';
import { viewGlobalThreads } from './view-global-threads.js';
import { viewThread } from './view-thread.js';

/** The actions of the user model: every action of load-test-ng's simulcontroller, plus two. */
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
  click_user_profile: clickUserProfile,
  search_group_channels: searchGroupChannels,
  search_posts_all_teams: searchPostsAllTeams,
  create_direct_channel: createDirectChannel,
  unfollow_thread: unfollowThread,
  join_channel: joinChannel,
  delete_post: deletePost,
  update_sidebar_category: updateSidebarCategory,
  update_custom_attribute: updateCustomAttribute,
  create_group_channel: createGroupChannel,
  update_custom_status: updateCustomStatus,
  remove_custom_status: removeCustomStatus,
  create_scheduled_post: createScheduledPost,
  update_scheduled_post: updateScheduledPost,
  delete_scheduled_post: deleteScheduledPost,
  send_scheduled_post: sendScheduledPost,
  full_reload: fullReload,
  logout_login: logoutLogin,
  create_post_reminder: createPostReminder,
  follow_thread: followThread,
  add_channel_bookmark: addChannelBookmark,
  update_channel_bookmark: updateChannelBookmark,
  update_channel_bookmark_sort_order: updateChannelBookmarkSortOrder,
  create_private_channel: createPrivateChannel,
  switch_team: switchTeam,
  create_sidebar_category: createSidebarCategory,
  create_public_channel: createPublicChannel,
  mark_all_threads_read: markAllThreadsRead,
  create_ack_post: createAckPost,
  ack_to_post: ackToPost,
  create_persistent_notification_post: createPersistentNotificationPost,
  generate_user_report: generateUserReport,
  delete_channel_bookmark: deleteChannelBookmark,
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
 * where the environment has an object store). Actions the table does not name are left out.
 */
export const PRODUCTION_MIX: Readonly<Partial<Record<UserActionName, number>>> = {
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

/**
 * Load-test-ng's simulcontroller mix: every action at its frequency, from
 * mattermost/mattermost-load-test-ng (commit 784dbc17) loadtest/control/simulcontroller/controller.go
 * `getActionList`. Total 15.444. `typing` and `upload_file` are not separate actions there
 * (typing precedes posts and drafts; 2 % of posts attach files), so they are absent.
 */
export const LOADTEST_NG_MIX: Readonly<Partial<Record<UserActionName, number>>> = {
  switch_channel: 6.5219,
  switch_team: 0.0001,
  scroll_channel: 1.9873,
  open_direct_channel: 0.9843,
  unread_check: 1,
  create_post: 1,
  join_channel: 0.0049,
  search_channels: 0.015,
  add_reaction: 0.1306,
  full_reload: 0.0008,
  create_direct_channel: 0.0055,
  logout_login: 0.0006,
  search_users: 0.032,
  search_posts: 0.0218,
  search_posts_all_teams: 0.0109,
  create_post_reminder: 0.0005,
  edit_post: 0.04,
  delete_post: 0.0049,
  update_custom_status: 0.0028,
  remove_custom_status: 0.0026,
  create_sidebar_category: 0.0001,
  update_sidebar_category: 0.004,
  update_custom_attribute: 0.004,
  search_group_channels: 0.0204,
  create_group_channel: 0.0029,
  create_private_channel: 0.0002,
  create_public_channel: 0.0001,
  view_global_threads: 0.6023,
  follow_thread: 0.0005,
  unfollow_thread: 0.005,
  view_thread: 0.2841,
  mark_all_threads_read: 0.0001,
  update_thread_read: 0.3236,
  create_ack_post: 0.0001,
  ack_to_post: 0.0001,
  create_persistent_notification_post: 0.0001,
  click_user_profile: 0.03,
  click_permalink: 0.3,
  reconnect_websocket: 0.144,
  generate_user_report: 0.0001,
  upsert_draft: 0.504,
  get_drafts: 0.037,
  delete_draft: 1.41,
  add_channel_bookmark: 0.0003,
  update_channel_bookmark: 0.0002,
  update_channel_bookmark_sort_order: 0.0002,
  delete_channel_bookmark: 0.0001,
  create_scheduled_post: 0.001,
  update_scheduled_post: 0.001,
  delete_scheduled_post: 0.001,
  send_scheduled_post: 0.001,
};

/** The named mixes a scenario file may select. */
export const NAMED_MIXES = { production: PRODUCTION_MIX, 'loadtest-ng': LOADTEST_NG_MIX } as const;
export type MixName = keyof typeof NAMED_MIXES;
