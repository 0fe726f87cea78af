import { isReservedTeamName, isValidTeamName } from '../api/params.js';
import { Fields, ImportLineError, objectAt, runes } from './line-fields.js';

// Checks one line of a bulk-import file the way Mattermost's import validators do
// (server/channels/app/imports/import_validators.go): the required fields, lengths and allowed
// values of the line types the double imports, and that every team, channel and user a line
// names exists (in the database or earlier in the file). A failure names the line, the field
// and Mattermost's error id, e.g. `line 7: user.username is missing
// (app.import.validate_user_import_data.username_missing.error)`. The types here are what the
// writer (import-writer.ts) receives once a line passed.

export { ImportLineError };

export interface ReactionData {
  user: string;
  emoji_name: string;
  create_at: number;
}
export interface ReplyData {
  user: string;
  message: string;
  create_at: number;
  reactions: ReactionData[];
}
export interface PostData extends ReplyData {
  props: Record<string, unknown>;
  replies: ReplyData[];
}
export type ImportData =
  | { type: 'version' }
  | {
      type: 'team';
      team: {
        name: string;
        display_name: string;
        type: 'O' | 'I';
        description: string;
        allow_open_invite: boolean;
      };
    }
  | {
      type: 'channel';
      channel: {
        team: string;
        name: string;
        display_name: string;
        type: 'O' | 'P';
        header: string;
        purpose: string;
      };
    }
  | {
      type: 'user';
      user: {
        username: string;
        email: string;
        password: string | null;
        nickname: string;
        first_name: string;
        last_name: string;
        position: string;
        roles: string;
        teams: { name: string; roles: string; channels: { name: string; roles: string }[] }[];
      };
    }
  | { type: 'post'; post: PostData & { team: string; channel: string } }
  | { type: 'direct_channel'; members: string[]; header: string }
  | { type: 'direct_post'; members: string[]; post: PostData };

/** The names known so far: the database's, then each line's as it passes. */
export interface KnownNames {
  teams: Set<string>;
  /** `team/channel`. */
  channels: Set<string>;
  users: Set<string>;
  /** Lower-cased email → username: an email is one account's (the users table's unique index). */
  emails: Map<string, string>;
}

const LINE_ORDER = ['version', 'team', 'channel', 'user', 'post', 'direct_channel', 'direct_post'];
// model.TeamNameMaxLength and friends, in runes where Mattermost counts runes.
const NAME_MAX = 64;
const POST_MESSAGE_MAX_RUNES = 16_383;
const RESERVED_USERNAMES = new Set(['all', 'channel', 'here', 'matterbot', 'system']);
const CHANNEL_NAME = /^[a-z0-9]+([a-z0-9_-]*[a-z0-9]+)?$/;
const USERNAME = /^[a-z][a-z0-9.\-_]*$/;
const EMOJI_NAME = /^[a-zA-Z0-9\-+_]+$/;
const SYSTEM_ROLES = new Set(['system_user', 'system_admin', 'system_guest']);
const TEAM_ROLES = new Set(['team_user', 'team_admin', 'team_guest']);
const CHANNEL_ROLES = new Set(['channel_user', 'channel_admin', 'channel_guest']);

/** Validates lines in file order; `check` returns the line's data or throws ImportLineError. */
export class LineValidator {
  private lastOrder = -1;

  constructor(private readonly known: KnownNames) {}

  check(line: number, text: string): ImportData {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ImportLineError(
        line,
        'line',
        `is not valid JSON: ${(err as Error).message}`,
        'app.import.bulk_import.json_decode.error',
      );
    }
    const obj = objectAt(line, parsed, 'line');
    const type = obj.type;
    const order = typeof type === 'string' ? LINE_ORDER.indexOf(type) : -1;
    if (order < 0)
      throw new ImportLineError(
        line,
        'type',
        `"${String(type)}" is not a line type the importer knows`,
        'app.import.import_line.unknown_line_type.error',
      );
    if (line === 1 || this.lastOrder < 0) {
      if (type !== 'version')
        throw new ImportLineError(
          line,
          'type',
          'the first line must be the version line',
          'app.import.bulk_import.file_missing_version.error',
        );
    } else if (order < this.lastOrder) {
      throw new ImportLineError(
        line,
        'type',
        `"${type}" comes after "${LINE_ORDER[this.lastOrder]}" lines (the order is ${LINE_ORDER.join(', ')})`,
        'app.import.import_line.wrong_order.error',
      );
    }
    this.lastOrder = order;
    switch (type) {
      case 'version':
        if (obj.version !== 1)
          throw new ImportLineError(
            line,
            'version',
            'must be 1',
            'app.import.bulk_import.unsupported_version.error',
          );
        return { type: 'version' };
      case 'team':
        return this.team(
          new Fields(line, objectAt(line, obj.team, 'team'), 'team', 'app.import.validate_team_import_data'),
          objectAt(line, obj.team, 'team'),
        );
      case 'channel':
        return this.channel(
          new Fields(
            line,
            objectAt(line, obj.channel, 'channel'),
            'channel',
            'app.import.validate_channel_import_data',
          ),
        );
      case 'user':
        return this.user(
          new Fields(line, objectAt(line, obj.user, 'user'), 'user', 'app.import.validate_user_import_data'),
          objectAt(line, obj.user, 'user'),
        );
      case 'post':
        return this.post(
          new Fields(line, objectAt(line, obj.post, 'post'), 'post', 'app.import.validate_post_import_data'),
          objectAt(line, obj.post, 'post'),
        );
      case 'direct_channel': {
        const raw = objectAt(line, obj.direct_channel, 'direct_channel');
        const f = new Fields(line, raw, 'direct_channel', 'app.import.validate_direct_channel_import_data');
        return {
          type: 'direct_channel',
          members: this.members(f, raw, 'members'),
          header: f.optional('header', 1024),
        };
      }
      default: {
        const raw = objectAt(line, obj.direct_post, 'direct_post');
        const f = new Fields(line, raw, 'direct_post', 'app.import.validate_direct_post_import_data');
        const members = this.members(f, raw, 'channel_members');
        return { type: 'direct_post', members, post: this.postBody(f, raw) };
      }
    }
  }

  private team(f: Fields, raw: Record<string, unknown>): ImportData {
    const name = f.required('name').toLowerCase();
    if (name.length > NAME_MAX) f.fail('name', `is longer than ${NAME_MAX} characters`, 'name_length');
    if (isReservedTeamName(name)) f.fail('name', `"${name}" starts with a reserved name`, 'name_reserved');
    if (!isValidTeamName(name))
      f.fail('name', `"${name}" holds characters a team name cannot`, 'name_characters');
    const displayName = f.required('display_name');
    if (runes(displayName) === 0 || runes(displayName) > NAME_MAX)
      f.fail('display_name', `must have 1 to ${NAME_MAX} characters`, 'display_name_length');
    const type = f.required('type');
    if (type !== 'O' && type !== 'I') f.fail('type', `must be O or I, not "${type}"`, 'type_invalid');
    const description = f.optional('description', 255);
    if (raw.allow_open_invite !== undefined && typeof raw.allow_open_invite !== 'boolean')
      f.fail('allow_open_invite', 'must be true or false', 'allow_open_invite_invalid');
    this.known.teams.add(name);
    const allowOpenInvite = raw.allow_open_invite === true;
    return {
      type: 'team',
      team: { name, display_name: displayName, type, description, allow_open_invite: allowOpenInvite },
    };
  }

  private channel(f: Fields): ImportData {
    const team = f.required('team').toLowerCase();
    const name = f.required('name').toLowerCase();
    if (name.length > NAME_MAX) f.fail('name', `is longer than ${NAME_MAX} characters`, 'name_length');
    if (!CHANNEL_NAME.test(name))
      f.fail('name', `"${name}" holds characters a channel name cannot`, 'name_characters');
    const displayName = f.optional('display_name', NAME_MAX) || name;
    const type = f.required('type');
    if (type !== 'O' && type !== 'P') f.fail('type', `must be O or P, not "${type}"`, 'type_invalid');
    const header = f.optional('header', 1024);
    const purpose = f.optional('purpose', 250);
    if (!this.known.teams.has(team))
      f.fail('team', `names team "${team}", which does not exist`, 'team_not_found');
    this.known.channels.add(`${team}/${name}`);
    return { type: 'channel', channel: { team, name, display_name: displayName, type, header, purpose } };
  }

  private user(f: Fields, raw: Record<string, unknown>): ImportData {
    const username = f.required('username').toLowerCase();
    if (
      username.length < 3 ||
      username.length > NAME_MAX ||
      !USERNAME.test(username) ||
      RESERVED_USERNAMES.has(username)
    )
      f.fail('username', `"${username}" is not a valid username`, 'username_invalid');
    const email = f.required('email');
    if (email === '' || email.length > 128) f.fail('email', 'must have 1 to 128 characters', 'email_length');
    // Caught here rather than by the unique index mid-transaction, so the line can be named.
    const owner = this.known.emails.get(email.toLowerCase());
    if (owner !== undefined && owner !== username)
      f.fail('email', `"${email}" is the email of user "${owner}"`, 'email_taken');
    let password: string | null = null;
    if (raw.password !== undefined && raw.password !== null) {
      password = f.required('password');
      if (password === '' || password.length > 72)
        f.fail('password', 'must have 1 to 72 characters', 'password_length');
    }
    const roles = f.optional('roles', 256) || 'system_user';
    if (roles.split(' ').some((r) => !SYSTEM_ROLES.has(r)))
      f.fail('roles', `"${roles}" holds an unknown role`, 'roles_invalid');
    const teams = f.list('teams').map((t, i) => {
      const tf = f.nested(`teams[${i}]`, t, 'app.import.validate_user_teams_import_data');
      const team = tf.required('name').toLowerCase();
      if (!this.known.teams.has(team))
        tf.fail('name', `names team "${team}", which does not exist`, 'team_not_found');
      const teamRoles = tf.optional('roles', 256) || 'team_user';
      if (teamRoles.split(' ').some((r) => !TEAM_ROLES.has(r)))
        tf.fail('roles', `"${teamRoles}" holds an unknown role`, 'invalid_roles');
      const channels = tf.list('channels').map((c, j) => {
        const cf = tf.nested(`channels[${j}]`, c, 'app.import.validate_user_channels_import_data');
        const channel = cf.required('name').toLowerCase();
        if (!this.known.channels.has(`${team}/${channel}`))
          cf.fail(
            'name',
            `names channel "${channel}" of team "${team}", which does not exist`,
            'channel_not_found',
          );
        const channelRoles = cf.optional('roles', 256) || 'channel_user';
        if (channelRoles.split(' ').some((r) => !CHANNEL_ROLES.has(r)))
          cf.fail('roles', `"${channelRoles}" holds an unknown role`, 'invalid_roles');
        return { name: channel, roles: channelRoles };
      });
      return { name: team, roles: teamRoles, channels };
    });
    const user = {
      username,
      email: email.toLowerCase(),
      password,
      nickname: f.optional('nickname', 64),
      first_name: f.optional('first_name', 64),
      last_name: f.optional('last_name', 64),
      position: f.optional('position', 128),
      roles,
      teams,
    };
    this.known.users.add(username);
    this.known.emails.set(user.email, username);
    return { type: 'user', user };
  }

  private post(f: Fields, raw: Record<string, unknown>): ImportData {
    const team = f.required('team').toLowerCase();
    const channel = f.required('channel').toLowerCase();
    const body = this.postBody(f, raw);
    if (!this.known.channels.has(`${team}/${channel}`))
      f.fail(
        'channel',
        `names channel "${channel}" of team "${team}", which does not exist`,
        'channel_not_found',
      );
    return { type: 'post', post: { ...body, team, channel } };
  }

  private postBody(f: Fields, raw: Record<string, unknown>): PostData {
    const reply = this.reply(f);
    const props = raw.props;
    if (props !== undefined && props !== null && (typeof props !== 'object' || Array.isArray(props)))
      f.fail('props', 'must be an object', 'props_invalid');
    const replies = f
      .list('replies')
      .map((r, i) => this.reply(f.nested(`replies[${i}]`, r, 'app.import.validate_reply_import_data')));
    return { ...reply, props: (props as Record<string, unknown>) ?? {}, replies };
  }

  private reply(f: Fields): ReplyData {
    const user = f.required('user').toLowerCase();
    const message = f.required('message');
    if (runes(message) > POST_MESSAGE_MAX_RUNES)
      f.fail('message', `is longer than ${POST_MESSAGE_MAX_RUNES} characters`, 'message_length');
    const createAt = f.millis('create_at');
    if (!this.known.users.has(user))
      f.fail('user', `names user "${user}", who does not exist`, 'user_not_found');
    const reactions = f.list('reactions').map((r, i) => {
      const rf = f.nested(`reactions[${i}]`, r, 'app.import.validate_reaction_import_data');
      const reactor = rf.required('user').toLowerCase();
      const emoji = rf.required('emoji_name');
      if (emoji.length > NAME_MAX || !EMOJI_NAME.test(emoji))
        rf.fail('emoji_name', `"${emoji}" is not a valid emoji name`, 'emoji_name_length');
      const at = rf.millis('create_at');
      if (at < createAt) rf.fail('create_at', 'is before the post it reacts to', 'create_at_before_parent');
      if (!this.known.users.has(reactor))
        rf.fail('user', `names user "${reactor}", who does not exist`, 'user_not_found');
      return { user: reactor, emoji_name: emoji, create_at: at };
    });
    return { user, message, create_at: createAt, reactions };
  }

  private members(f: Fields, raw: Record<string, unknown>, field: string): string[] {
    const v = raw[field];
    if (v === undefined || v === null) f.fail(field, 'is missing', 'members_required');
    if (!Array.isArray(v) || v.some((m) => typeof m !== 'string'))
      f.fail(field, 'must be an array of usernames', 'members_invalid');
    const members = [...new Set((v as string[]).map((m) => m.toLowerCase()))];
    if (members.length < 2) f.fail(field, 'must name at least 2 users', 'members_too_few');
    if (members.length > 8) f.fail(field, 'must name at most 8 users', 'members_too_many');
    for (const m of members)
      if (!this.known.users.has(m)) f.fail(field, `names user "${m}", who does not exist`, 'unknown_member');
    return members.sort();
  }
}
