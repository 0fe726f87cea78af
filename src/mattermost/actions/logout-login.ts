import type { Action } from './action.js';
import { reload } from './reload.js';

/**
 * LogoutLogin (load-test-ng 0.0006; simulcontroller/actions.go logoutLogin): the client's memory
 * cleared, `POST /users/login` again, then the reload. Load-test-ng logs out first and opens a new
 * WebSocket; the user model keeps its session and socket (logging out would revoke the token the
 * socket reconnects with, and the delivery tracker follows users by their socket).
 */
export const logoutLogin: Action = {
  name: 'logout_login',
  needsLogin: true,
  async run(user) {
    await user.relogin();
    user.store.clear();
    await reload(user);
  },
};
