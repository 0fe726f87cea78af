import type { RequestContext } from '../http/context.js';
import { invalidUrlParam } from '../http/errors.js';
import { isValidId } from '../model/ids.js';

// URL parameters as Mattermost's web.Params reads them: ids must be valid, "me" is the caller.

/** A path id parameter; an invalid one is 400 invalid_url_param. */
export function idParam(ctx: RequestContext, name: string): string {
  const value = ctx.param(name);
  if (!isValidId(value)) throw invalidUrlParam(name);
  return value;
}

/** The :user_id path parameter, with "me" meaning the caller. */
export function userIdParam(ctx: RequestContext): string {
  const value = ctx.param('user_id');
  if (value === 'me') return ctx.me.user_id;
  if (!isValidId(value)) throw invalidUrlParam('user_id');
  return value;
}

const CHANNEL_NAME = /^[a-z0-9]+([a-z\-_0-9]+|(__)?)[a-z0-9]*$/;
const CHANNEL_NAME_MAX_LENGTH = 64;

/** Mattermost's IsValidChannelIdentifier. */
export function isValidChannelName(name: string): boolean {
  return name.length >= 1 && name.length <= CHANNEL_NAME_MAX_LENGTH && CHANNEL_NAME.test(name);
}

export function channelNameParam(ctx: RequestContext): string {
  const value = ctx.param('channel_name');
  if (!isValidChannelName(value)) throw invalidUrlParam('channel_name');
  return value;
}

const TEAM_NAME = /^[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+$/;
const TEAM_NAME_MIN_LENGTH = 2;

// model.reservedName: a team name may not start with any of these (they are web-app routes).
const RESERVED_TEAM_NAME_PREFIXES = [
  'admin',
  'api',
  'channel',
  'claim',
  'error',
  'files',
  'help',
  'landing',
  'login',
  'mfa',
  'oauth',
  'plug',
  'plugins',
  'post',
  'signup',
  'boards',
  'playbooks',
];

/** Mattermost's IsReservedTeamName: the name (any case) starts with a web-app route. */
export function isReservedTeamName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_TEAM_NAME_PREFIXES.some((r) => lower.startsWith(r));
}

/** Mattermost's IsValidTeamName: lower-case alphanumerics and dashes, at least 2 characters. */
export function isValidTeamName(name: string): boolean {
  return name.length >= TEAM_NAME_MIN_LENGTH && TEAM_NAME.test(name);
}

export function teamNameParam(ctx: RequestContext): string {
  const value = ctx.param('team_name');
  if (!isValidTeamName(value)) throw invalidUrlParam('team_name');
  return value;
}
