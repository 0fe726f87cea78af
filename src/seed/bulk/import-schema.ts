import { type TSchema, Type } from '@sinclair/typebox';

// The lines of Mattermost's bulk-import file as JSON Schemas: the objects, fields and types of
// Mattermost's public documentation, "Bulk loading data format"
// (https://docs.mattermost.com/onboard/bulk-loading-data-format.html: Version, Team, Channel,
// User with UserTeamMembership / UserChannelMembership, Post with Reply and Reaction,
// DirectChannel, DirectPost, Attachment), cross-checked with the Go import data models of
// mattermost/mattermost `server/channels/app/imports/import_types.go` (the json tags) and the
// required fields and limits of `import_validators.go`. Only the fields the documentation lists
// are allowed (a misspelt field is an error here, where Mattermost would silently drop it).
// The test of `mmdrill seed --write-import` checks every line it writes against these.

const Str = (description: string, options: { minLength?: number; maxLength?: number } = {}) =>
  Type.String({ description, ...options });
const Millis = (description: string) => Type.Integer({ minimum: 1, description });
const Closed = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

const Reaction = Closed({
  user: Str('username of the reacting user'),
  emoji_name: Str('emoji name', { maxLength: 64 }),
  create_at: Millis('time of the reaction (ms), not before its post'),
});

const Attachment = Closed({ path: Str('path of the file inside the archive') });

const Reply = Closed({
  user: Str('username of the author'),
  type: Type.Optional(Str('post type')),
  message: Str('message text'),
  create_at: Millis('time of the reply (ms)'),
  edit_at: Type.Optional(Type.Integer({ minimum: 0 })),
  flagged_by: Type.Optional(Type.Array(Type.String())),
  reactions: Type.Optional(Type.Array(Reaction)),
  attachments: Type.Optional(Type.Array(Attachment)),
});

const Version = Closed({
  type: Type.Literal('version'),
  version: Type.Literal(1, { description: 'version of the bulk importer format: 1' }),
});

const Team = Closed({
  type: Type.Literal('team'),
  team: Closed({
    name: Str('team name (URL): lower-case letters, digits, -', { minLength: 2, maxLength: 64 }),
    display_name: Str('display name', { minLength: 1, maxLength: 64 }),
    type: Type.Union([Type.Literal('O'), Type.Literal('I')], { description: 'O open, I invite only' }),
    description: Type.Optional(Str('description', { maxLength: 255 })),
    allow_open_invite: Type.Optional(Type.Boolean()),
    scheme: Type.Optional(Type.String()),
  }),
});

const Channel = Closed({
  type: Type.Literal('channel'),
  channel: Closed({
    team: Str('name of the team the channel belongs to'),
    name: Str('channel name (URL)', { minLength: 1, maxLength: 64 }),
    display_name: Str('display name', { maxLength: 64 }),
    type: Type.Union([Type.Literal('O'), Type.Literal('P')], { description: 'O public, P private' }),
    header: Type.Optional(Str('header', { maxLength: 1024 })),
    purpose: Type.Optional(Str('purpose', { maxLength: 250 })),
    scheme: Type.Optional(Type.String()),
  }),
});

const UserChannel = Closed({
  name: Str('channel name'),
  roles: Type.Optional(Str('channel_user, channel_admin')),
  notify_props: Type.Optional(Type.Object({})),
  favorite: Type.Optional(Type.Boolean()),
});

const UserTeam = Closed({
  name: Str('team name'),
  roles: Type.Optional(Str('team_user, team_admin')),
  theme: Type.Optional(Type.String()),
  channels: Type.Optional(Type.Array(UserChannel)),
});

const User = Closed({
  type: Type.Literal('user'),
  user: Closed({
    username: Str('username', { minLength: 1, maxLength: 64 }),
    email: Str('email address', { minLength: 1, maxLength: 128 }),
    auth_service: Type.Optional(Type.String()),
    auth_data: Type.Optional(Type.String()),
    password: Type.Optional(Str('password', { minLength: 1, maxLength: 72 })),
    nickname: Type.Optional(Type.String()),
    first_name: Type.Optional(Type.String()),
    last_name: Type.Optional(Type.String()),
    position: Type.Optional(Type.String()),
    roles: Type.Optional(Str('system_user, system_admin')),
    locale: Type.Optional(Type.String()),
    delete_at: Type.Optional(Type.Integer({ minimum: 0 })),
    teams: Type.Optional(Type.Array(UserTeam)),
    notify_props: Type.Optional(Type.Object({})),
  }),
});

const postFields = {
  user: Str('username of the author'),
  type: Type.Optional(Str('post type')),
  message: Str('message text'),
  props: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  create_at: Millis('time of the post (ms)'),
  edit_at: Type.Optional(Type.Integer({ minimum: 0 })),
  flagged_by: Type.Optional(Type.Array(Type.String())),
  reactions: Type.Optional(Type.Array(Reaction)),
  replies: Type.Optional(Type.Array(Reply)),
  attachments: Type.Optional(Type.Array(Attachment)),
  is_pinned: Type.Optional(Type.Boolean()),
};

const Post = Closed({
  type: Type.Literal('post'),
  post: Closed({ team: Str('team name'), channel: Str('channel name'), ...postFields }),
});

const Members = (description: string) => Type.Array(Type.String(), { minItems: 2, maxItems: 8, description });

const DirectChannel = Closed({
  type: Type.Literal('direct_channel'),
  direct_channel: Closed({
    members: Members('usernames: 2 for a direct channel, 3–8 for a group channel'),
    favorited_by: Type.Optional(Type.Array(Type.String())),
    header: Type.Optional(Str('header', { maxLength: 1024 })),
  }),
});

const DirectPost = Closed({
  type: Type.Literal('direct_post'),
  direct_post: Closed({ channel_members: Members('usernames of the channel'), ...postFields }),
});

/** One schema per line type, by the value of `type`. */
export const IMPORT_LINE_SCHEMAS = {
  version: Version,
  team: Team,
  channel: Channel,
  user: User,
  post: Post,
  direct_channel: DirectChannel,
  direct_post: DirectPost,
} as const;

/** The order line types must come in (the documentation's "must occur in the order listed"). */
export const IMPORT_LINE_ORDER = Object.keys(IMPORT_LINE_SCHEMAS);
