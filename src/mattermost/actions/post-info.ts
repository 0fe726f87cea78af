import type { Post, PostList } from '@mattermost/types/posts';
import type { SimulatedUser } from '../simulated-user.js';

// What a client fetches for a batch of posts it shows (load-test-ng's POSTINFO,
// mattermost/mattermost-load-test-ng: loadtest/control/simulcontroller/actions.go fetchPostsInfo):
// thumbnails (and previews) of png/jpg attachments, statuses and profiles of authors it does not
// hold, every author's profile image (with the picture version it holds as If-None-Match), and
// the profiles of the first @mention.

const IMAGE_EXTENSIONS = new Set(['png', 'jpg']);
const MENTION = /(?:^|\s)@([a-z0-9._-]+)/i;

export async function postInfo(user: SimulatedUser, list: PostList | null | undefined): Promise<void> {
  if (!list) return;
  const posts = list.order.map((id) => list.posts[id]).filter((p): p is Post => p !== undefined);
  for (const post of posts) {
    for (const file of post.metadata?.files ?? []) {
      if (!IMAGE_EXTENSIONS.has(file.extension)) continue;
      await user.call('GET', `/files/${file.id}/thumbnail`);
      if (file.has_preview_image) await user.call('GET', `/files/${file.id}/preview`);
    }
  }
  const authors = [...new Set(posts.map((p) => p.user_id))];
  const withoutStatus = authors.filter((id) => !user.store.statuses.has(id));
  if (withoutStatus.length > 0) {
    await user.call('POST', '/users/status/ids', withoutStatus);
    for (const id of withoutStatus) user.store.knowStatus(id);
  }
  const unknown = authors.filter((id) => !user.store.profiles.has(id));
  if (unknown.length > 0) {
    await user.call('POST', '/users/ids', unknown);
    for (const id of unknown) user.store.knowProfile(id);
  }
  for (const id of authors) await profileImage(user, id);
  const mention = posts.map((p) => MENTION.exec(p.message)?.[1]).find((m) => m !== undefined);
  if (mention) await user.call('POST', '/users/usernames', [mention]);
}

/** `GET /users/{id}/image` with the picture version the client holds; remembers the new one. */
export async function profileImage(user: SimulatedUser, id: string): Promise<void> {
  const answer = await user.call('GET', `/users/${id}/image`, undefined, {
    'If-None-Match': user.store.pictureEtag(id),
  });
  const etag = answer.headers.get('etag') ?? answer.headers.get('ETag');
  if (etag) user.store.setPictureEtag(id, etag);
}
