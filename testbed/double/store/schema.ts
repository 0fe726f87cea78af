import type pg from 'pg';

// The double's tables. Column names follow Mattermost's wire fields so rows map to JSON directly.
// Several nodes may start at once against one database: creation runs under an advisory lock.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  nickname text NOT NULL DEFAULT '',
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  position text NOT NULL DEFAULT '',
  roles text NOT NULL,
  locale text NOT NULL DEFAULT 'en',
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  delete_at bigint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS users_search ON users (lower(username) text_pattern_ops);

CREATE TABLE IF NOT EXISTS sessions (
  token text PRIMARY KEY,
  id text NOT NULL UNIQUE,
  user_id text NOT NULL REFERENCES users(id),
  roles text NOT NULL,
  create_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  last_activity_at bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS teams (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  display_name text NOT NULL,
  description text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  type text NOT NULL,
  invite_id text NOT NULL,
  allow_open_invite boolean NOT NULL DEFAULT false,
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  delete_at bigint NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS team_members (
  team_id text NOT NULL REFERENCES teams(id),
  user_id text NOT NULL REFERENCES users(id),
  roles text NOT NULL DEFAULT '',
  scheme_admin boolean NOT NULL DEFAULT false,
  delete_at bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX IF NOT EXISTS team_members_user ON team_members (user_id);

CREATE TABLE IF NOT EXISTS channels (
  id text PRIMARY KEY,
  team_id text NOT NULL DEFAULT '',
  type text NOT NULL,
  name text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  header text NOT NULL DEFAULT '',
  purpose text NOT NULL DEFAULT '',
  creator_id text NOT NULL DEFAULT '',
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  delete_at bigint NOT NULL DEFAULT 0,
  last_post_at bigint NOT NULL DEFAULT 0,
  last_root_post_at bigint NOT NULL DEFAULT 0,
  total_msg_count bigint NOT NULL DEFAULT 0,
  total_msg_count_root bigint NOT NULL DEFAULT 0,
  UNIQUE (team_id, name)
);

CREATE TABLE IF NOT EXISTS channel_members (
  channel_id text NOT NULL REFERENCES channels(id),
  user_id text NOT NULL REFERENCES users(id),
  roles text NOT NULL DEFAULT '',
  scheme_admin boolean NOT NULL DEFAULT false,
  last_viewed_at bigint NOT NULL DEFAULT 0,
  msg_count bigint NOT NULL DEFAULT 0,
  msg_count_root bigint NOT NULL DEFAULT 0,
  mention_count bigint NOT NULL DEFAULT 0,
  last_update_at bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX IF NOT EXISTS channel_members_user ON channel_members (user_id);

CREATE TABLE IF NOT EXISTS posts (
  id text PRIMARY KEY,
  channel_id text NOT NULL REFERENCES channels(id),
  user_id text NOT NULL,
  root_id text NOT NULL DEFAULT '',
  message text NOT NULL DEFAULT '',
  type text NOT NULL DEFAULT '',
  props jsonb NOT NULL DEFAULT '{}',
  hashtags text NOT NULL DEFAULT '',
  file_ids jsonb NOT NULL DEFAULT '[]',
  is_pinned boolean NOT NULL DEFAULT false,
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  edit_at bigint NOT NULL DEFAULT 0,
  delete_at bigint NOT NULL DEFAULT 0,
  message_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', message)) STORED
);
CREATE INDEX IF NOT EXISTS posts_channel_create ON posts (channel_id, create_at DESC);
CREATE INDEX IF NOT EXISTS posts_root ON posts (root_id) WHERE root_id <> '';
CREATE INDEX IF NOT EXISTS posts_update ON posts (channel_id, update_at);
CREATE INDEX IF NOT EXISTS posts_tsv ON posts USING gin (message_tsv);

CREATE TABLE IF NOT EXISTS threads (
  post_id text PRIMARY KEY,
  channel_id text NOT NULL,
  reply_count bigint NOT NULL DEFAULT 0,
  last_reply_at bigint NOT NULL DEFAULT 0,
  participants jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS thread_memberships (
  post_id text NOT NULL,
  user_id text NOT NULL,
  following boolean NOT NULL DEFAULT true,
  last_viewed bigint NOT NULL DEFAULT 0,
  last_updated bigint NOT NULL DEFAULT 0,
  unread_mentions bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (post_id, user_id)
);
CREATE INDEX IF NOT EXISTS thread_memberships_user ON thread_memberships (user_id);

CREATE TABLE IF NOT EXISTS reactions (
  user_id text NOT NULL,
  post_id text NOT NULL,
  emoji_name text NOT NULL,
  channel_id text NOT NULL,
  create_at bigint NOT NULL,
  PRIMARY KEY (post_id, user_id, emoji_name)
);

CREATE TABLE IF NOT EXISTS file_infos (
  id text PRIMARY KEY,
  creator_id text NOT NULL,
  channel_id text NOT NULL,
  post_id text NOT NULL DEFAULT '',
  path text NOT NULL,
  name text NOT NULL,
  extension text NOT NULL DEFAULT '',
  size bigint NOT NULL,
  mime_type text NOT NULL DEFAULT '',
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  delete_at bigint NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS statuses (
  user_id text PRIMARY KEY,
  status text NOT NULL,
  manual boolean NOT NULL DEFAULT false,
  last_activity_at bigint NOT NULL,
  dnd_end_time bigint NOT NULL DEFAULT 0
);

-- Cluster messages too large for a NOTIFY payload (8000 bytes) are parked here and the
-- notification carries only the row id.
CREATE TABLE IF NOT EXISTS cluster_messages (
  id bigserial PRIMARY KEY,
  payload text NOT NULL,
  create_at bigint NOT NULL
);

-- Posts, threads, files and drafts: edit history copies point at the edited post through
-- original_id (Mattermost keeps the old version as a deleted post).
ALTER TABLE posts ADD COLUMN IF NOT EXISTS original_id text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS file_infos_post ON file_infos (post_id) WHERE post_id <> '';
CREATE INDEX IF NOT EXISTS reactions_post ON reactions (post_id, create_at);
CREATE INDEX IF NOT EXISTS threads_last_reply ON threads (last_reply_at DESC);

CREATE TABLE IF NOT EXISTS incoming_webhooks (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  team_id text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  create_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
  user_id text NOT NULL,
  channel_id text NOT NULL,
  root_id text NOT NULL DEFAULT '',
  message text NOT NULL DEFAULT '',
  props jsonb NOT NULL DEFAULT '{}',
  file_ids jsonb NOT NULL DEFAULT '[]',
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  delete_at bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, channel_id, root_id)
);

-- Cluster messages are a log every node reads from (see cluster/bus.ts); the writer's node id
-- lets it skip its own rows.
ALTER TABLE cluster_messages ADD COLUMN IF NOT EXISTS node text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS cluster_messages_create_at ON cluster_messages (create_at);

-- Image files get a JPEG thumbnail and preview next to the original (Mattermost's
-- ThumbnailPath/PreviewPath); width and height are the original's.
ALTER TABLE file_infos ADD COLUMN IF NOT EXISTS width integer NOT NULL DEFAULT 0;
ALTER TABLE file_infos ADD COLUMN IF NOT EXISTS height integer NOT NULL DEFAULT 0;
ALTER TABLE file_infos ADD COLUMN IF NOT EXISTS thumbnail_path text NOT NULL DEFAULT '';
ALTER TABLE file_infos ADD COLUMN IF NOT EXISTS preview_path text NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS preferences (
  user_id text NOT NULL,
  category text NOT NULL,
  name text NOT NULL,
  value text NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, category, name)
);

CREATE TABLE IF NOT EXISTS sidebar_categories (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  team_id text NOT NULL,
  type text NOT NULL,
  display_name text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  sorting text NOT NULL DEFAULT '',
  muted boolean NOT NULL DEFAULT false,
  collapsed boolean NOT NULL DEFAULT false,
  channel_ids jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS sidebar_categories_user_team ON sidebar_categories (user_id, team_id);

CREATE TABLE IF NOT EXISTS channel_bookmarks (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  owner_id text NOT NULL,
  file_id text NOT NULL DEFAULT '',
  display_name text NOT NULL,
  link_url text NOT NULL DEFAULT '',
  image_url text NOT NULL DEFAULT '',
  emoji text NOT NULL DEFAULT '',
  type text NOT NULL,
  sort_order bigint NOT NULL DEFAULT 0,
  create_at bigint NOT NULL,
  update_at bigint NOT NULL,
  delete_at bigint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS channel_bookmarks_channel ON channel_bookmarks (channel_id, sort_order);

CREATE TABLE IF NOT EXISTS scheduled_posts (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  channel_id text NOT NULL,
  root_id text NOT NULL DEFAULT '',
  message text NOT NULL DEFAULT '',
  props jsonb NOT NULL DEFAULT '{}',
  file_ids jsonb NOT NULL DEFAULT '[]',
  scheduled_at bigint NOT NULL,
  processed_at bigint NOT NULL DEFAULT 0,
  error_code text NOT NULL DEFAULT '',
  create_at bigint NOT NULL,
  update_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS scheduled_posts_user ON scheduled_posts (user_id);

CREATE TABLE IF NOT EXISTS custom_profile_values (
  user_id text NOT NULL,
  field_id text NOT NULL,
  value text NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, field_id)
);

CREATE TABLE IF NOT EXISTS post_acknowledgements (
  user_id text NOT NULL,
  post_id text NOT NULL,
  acknowledged_at bigint NOT NULL,
  PRIMARY KEY (post_id, user_id)
);

-- Mattermost's database configuration store: one active row holds the whole config as JSON.
CREATE TABLE IF NOT EXISTS configurations (
  id text PRIMARY KEY,
  value jsonb NOT NULL,
  create_at bigint NOT NULL,
  active boolean NOT NULL DEFAULT true
);
-- A mobile session's device (PUT /api/v4/users/sessions/device): push notifications go to it.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS device_id text NOT NULL DEFAULT '';

-- Bulk import (import/): resumable upload sessions and the jobs that run the uploaded archive.
-- In the database, as in Mattermost, so any node answers for a session or job another started.
CREATE TABLE IF NOT EXISTS upload_sessions (
  id text PRIMARY KEY,
  type text NOT NULL,
  create_at bigint NOT NULL,
  user_id text NOT NULL,
  channel_id text NOT NULL DEFAULT '',
  filename text NOT NULL,
  path text NOT NULL,
  file_size bigint NOT NULL,
  file_offset bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS jobs (
  id text PRIMARY KEY,
  type text NOT NULL,
  priority bigint NOT NULL DEFAULT 0,
  create_at bigint NOT NULL,
  start_at bigint NOT NULL DEFAULT 0,
  last_activity_at bigint NOT NULL DEFAULT 0,
  status text NOT NULL,
  progress bigint NOT NULL DEFAULT 0,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS jobs_type_create ON jobs (type, create_at DESC);
`;

const SCHEMA_LOCK_KEY = 7_366_510_001;

export async function ensureSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    try {
      await client.query(SCHEMA);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
