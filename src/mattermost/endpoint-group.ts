// Which part of a client's life a request belongs to, for the per-second burst chart: a node kill
// shows as a spike of `resync` (every client whose socket came back asks what it missed) and
// `login` (clients that reload). Decided by the action the request was made for, except file
// transfers, which are grouped by endpoint whatever the action (thumbnails while switching…).
// Each group has its own untagged counter, because per-second intervals keep no tags.

export const ENDPOINT_GROUPS = [
  'login',
  'resync',
  'messaging',
  'channels',
  'files',
  'search',
  'other',
] as const;
export type EndpointGroup = (typeof ENDPOINT_GROUPS)[number];

const BY_ACTION: Readonly<Record<string, EndpointGroup>> = {
  login: 'login',
  full_reload: 'login',
  logout_login: 'login',
  reconnect: 'resync',
  resync: 'resync',
  refetch: 'resync',
  create_post: 'messaging',
  edit_post: 'messaging',
  delete_post: 'messaging',
  add_reaction: 'messaging',
  upsert_draft: 'messaging',
  delete_draft: 'messaging',
  get_drafts: 'messaging',
  typing: 'messaging',
  create_post_reminder: 'messaging',
  create_ack_post: 'messaging',
  ack_to_post: 'messaging',
  create_persistent_notification_post: 'messaging',
  create_scheduled_post: 'messaging',
  update_scheduled_post: 'messaging',
  delete_scheduled_post: 'messaging',
  send_scheduled_post: 'messaging',
  switch_channel: 'channels',
  switch_team: 'channels',
  scroll_channel: 'channels',
  unread_check: 'channels',
  open_direct_channel: 'channels',
  create_direct_channel: 'channels',
  create_group_channel: 'channels',
  create_private_channel: 'channels',
  create_public_channel: 'channels',
  join_channel: 'channels',
  click_permalink: 'channels',
  view_thread: 'channels',
  view_global_threads: 'channels',
  update_thread_read: 'channels',
  follow_thread: 'channels',
  unfollow_thread: 'channels',
  mark_all_threads_read: 'channels',
  create_sidebar_category: 'channels',
  update_sidebar_category: 'channels',
  add_channel_bookmark: 'channels',
  update_channel_bookmark: 'channels',
  update_channel_bookmark_sort_order: 'channels',
  delete_channel_bookmark: 'channels',
  get_posts: 'channels',
  upload_file: 'files',
  search_users: 'search',
  search_posts: 'search',
  search_posts_all_teams: 'search',
  search_channels: 'search',
  search_group_channels: 'search',
};

/** The group of a request made for `action` to the endpoint template `endpoint`. */
export function endpointGroupOf(action: string, endpoint: string): EndpointGroup {
  if (endpoint.includes('/files')) return 'files';
  return BY_ACTION[action] ?? 'other';
}

/** The counter of one group's requests (`mm_reqs_resync`…). */
export function groupRequestsMetric(group: EndpointGroup): string {
  return `mm_reqs_${group}`;
}
