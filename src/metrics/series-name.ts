import type { Tags } from './api.js';

// k6's way of naming a sub-series: `name{tag:value,tag2:value}`. Tags are written in sorted order
// so that one tag set always has one name, whichever order the recorder built the object in.

/** A metric name with a tag filter: every series whose tags include all of `tags`. */
export interface Selector {
  name: string;
  tags: Tags;
}

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `tag:value,tag2:value` with keys sorted; empty for no tags. Used as the series key, so it runs
 * for every sample: tags already in sorted order (the common case) take one pass, no sorting.
 * `skip` leaves one tag out (derived series).
 */
export function tagsKey(tags: Tags | undefined, skip?: string): string {
  if (tags === undefined) return '';
  let out = '';
  let previous = '';
  for (const key in tags) {
    if (key < previous) return sortedTagsKey(tags, skip);
    previous = key;
    if (key === skip) continue;
    out += out === '' ? `${key}:${tags[key]}` : `,${key}:${tags[key]}`;
  }
  return out;
}

function sortedTagsKey(tags: Tags, skip: string | undefined): string {
  let out = '';
  for (const key of Object.keys(tags).sort()) {
    if (key === skip) continue;
    out += out === '' ? `${key}:${tags[key]}` : `,${key}:${tags[key]}`;
  }
  return out;
}

/** `name` or `name{tag:value,…}` (k6's form, tags sorted). */
export function seriesName(name: string, tags?: Tags): string {
  const key = tagsKey(tags);
  return key === '' ? name : `${name}{${key}}`;
}

/** True when `tags` holds every tag of `filter` with the same value. */
export function matchesTags(tags: Tags, filter: Tags): boolean {
  for (const key in filter) if (tags[key] !== filter[key]) return false;
  return true;
}

/**
 * Parses `name` or `name{tag:value,tag2:value}` as k6 writes threshold keys. Values may hold
 * `:` and `{}` (endpoint templates such as `/api/v4/channels/{channel_id}`): a tag splits at its
 * first colon, and the filter runs to the last `}`. Throws RangeError with the reason.
 */
export function parseSelector(text: string): Selector {
  const source = text.trim();
  const open = source.indexOf('{');
  const name = (open === -1 ? source : source.slice(0, open)).trim();
  if (!METRIC_NAME.test(name))
    throw new RangeError(
      name === ''
        ? 'missing metric name before "{"'
        : `"${name}" is not a metric name (letters, digits and _, not starting with a digit)`,
    );
  if (open === -1) return { name, tags: {} };
  if (!source.endsWith('}')) throw new RangeError('tag filter must end with "}"');
  const body = source.slice(open + 1, -1).trim();
  if (body === '') throw new RangeError('empty tag filter "{}": remove the braces or name a tag');
  const tags: Record<string, string> = {};
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    if (colon === -1) throw new RangeError(`tag filter "${part.trim()}" must be tag:value`);
    const key = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim();
    if (key === '') throw new RangeError(`tag filter "${part.trim()}" has no tag name`);
    if (Object.hasOwn(tags, key)) throw new RangeError(`tag "${key}" appears twice in the filter`);
    tags[key] = value;
  }
  return { name, tags };
}

/** The selector's canonical text (`parseSelector` and back), as summaries and thresholds print it. */
export function selectorName(selector: Selector): string {
  return seriesName(selector.name, selector.tags);
}
