import type { Action } from './action.js';
import { reload } from './reload.js';

/**
 * FullReload (load-test-ng 0.0008; simulcontroller/actions.go reload(true)): the page reloaded —
 * the socket closed and re-opened (it resumes), the client's memory cleared, the site root, then
 * the REST reload and the channel on screen viewed again.
 */
export const fullReload: Action = {
  name: 'full_reload',
  needsLogin: true,
  async run(user) {
    user.session.cut();
    user.store.clear();
    // The site root (load-test-ng then fetches its scripts and styles; the API is what matters).
    await user.call('GET', '/').catch(() => undefined);
    await reload(user);
  },
};
