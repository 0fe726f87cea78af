import { describe, expect, it } from 'vitest';
import { ImportLineError, LineValidator } from '../../testbed/double/import/line-validation.js';

// The double's import-line checks (Mattermost's import validators): each bad field is reported
// with its line, its path and Mattermost's error id; good lines pass and name what they add.

const HEAD = [
  { type: 'version', version: 1 },
  { type: 'team', team: { name: 'team-a', display_name: 'A', type: 'O' } },
  { type: 'channel', channel: { team: 'team-a', name: 'chan-1', display_name: 'One', type: 'P' } },
  {
    type: 'user',
    user: {
      username: 'alice',
      email: 'alice@x.test',
      teams: [{ name: 'team-a', channels: [{ name: 'chan-1' }] }],
    },
  },
];

function run(lines: unknown[]): ImportLineError | null {
  const v = new LineValidator({
    teams: new Set(),
    channels: new Set(),
    users: new Set(['bob']),
    emails: new Map([['bob@x.test', 'bob']]),
  });
  try {
    for (const [i, l] of lines.entries()) v.check(i + 1, typeof l === 'string' ? l : JSON.stringify(l));
    return null;
  } catch (err) {
    if (err instanceof ImportLineError) return err;
    throw err;
  }
}

const post = (fields: Record<string, unknown>) => ({
  type: 'post',
  post: { team: 'team-a', channel: 'chan-1', user: 'alice', message: 'hi', create_at: 10, ...fields },
});

describe('import line validation', () => {
  it('passes a well-formed file, knowing users from the database', () => {
    expect(
      run([
        ...HEAD,
        post({
          replies: [
            {
              user: 'bob',
              message: 'yo',
              create_at: 11,
              reactions: [{ user: 'alice', emoji_name: '+1', create_at: 12 }],
            },
          ],
        }),
        { type: 'direct_channel', direct_channel: { members: ['alice', 'bob'] } },
        {
          type: 'direct_post',
          direct_post: { channel_members: ['bob', 'alice'], user: 'bob', message: 'x', create_at: 5 },
        },
      ]),
    ).toBeNull();
  });

  it.each([
    [
      { type: 'team', team: { name: 'team-b', display_name: 'B', type: 'X' } },
      'team.type',
      'validate_team_import_data.type_invalid',
    ],
    [{ type: 'team', team: { name: 'api', display_name: 'B', type: 'O' } }, 'team.name', 'name_reserved'],
    [
      { type: 'channel', channel: { team: 'team-a', name: 'bad name', type: 'O' } },
      'channel.name',
      'name_characters',
    ],
    [{ type: 'channel', channel: { team: 'nope', name: 'c', type: 'O' } }, 'channel.team', 'team_not_found'],
    [{ type: 'user', user: { email: 'e@x.test' } }, 'user.username', 'username_missing'],
    [{ type: 'user', user: { username: '1abc', email: 'e@x.test' } }, 'user.username', 'username_invalid'],
    [
      { type: 'user', user: { username: 'carol', email: 'e@x.test', roles: 'root' } },
      'user.roles',
      'roles_invalid',
    ],
    [
      {
        type: 'user',
        user: {
          username: 'carol',
          email: 'e@x.test',
          teams: [{ name: 'team-a', channels: [{ name: 'gone' }] }],
        },
      },
      'user.teams[0].channels[0].name',
      'channel_not_found',
    ],
    [{ type: 'user', user: { username: 'carol', email: 'Bob@x.test' } }, 'user.email', 'email_taken'],
    [post({ channel: 'nowhere' }), 'post.channel', 'channel_not_found'],
    [post({ message: undefined }), 'post.message', 'message_missing'],
    [post({ create_at: 0 }), 'post.create_at', 'create_at_zero'],
    [post({ message: 'x'.repeat(16_384) }), 'post.message', 'message_length'],
    [
      post({ reactions: [{ user: 'alice', emoji_name: 'tada', create_at: 9 }] }),
      'post.reactions[0].create_at',
      'create_at_before_parent',
    ],
    [
      post({ replies: [{ user: 'zed', message: 'm', create_at: 11 }] }),
      'post.replies[0].user',
      'user_not_found',
    ],
    [
      { type: 'direct_channel', direct_channel: { members: ['alice'] } },
      'direct_channel.members',
      'members_too_few',
    ],
    [{ type: 'team', team: { name: 'late', display_name: 'L', type: 'O' } }, 'type', 'wrong_order'],
  ])('rejects case %# by line, field and error id', (line, field, errorId) => {
    // Team and channel lines must come before the users: they follow the head's last line of their kind.
    const kind = (line as { type: string }).type;
    const head =
      kind === 'team' && field !== 'type' ? HEAD.slice(0, 2) : kind === 'channel' ? HEAD.slice(0, 3) : HEAD;
    const err = run([...head, line]);
    expect(err).not.toBeNull();
    expect(err!.line).toBe(head.length + 1);
    expect(err!.field).toBe(field);
    expect(err!.errorId).toContain(errorId);
    expect(err!.message).toContain(field);
  });

  it('wants the version line first and JSON on every line', () => {
    expect(run([HEAD[1]])).toMatchObject({ line: 1, field: 'type' });
    expect(run([HEAD[0], '{"type":'])).toMatchObject({ line: 2, field: 'line' });
  });
});
