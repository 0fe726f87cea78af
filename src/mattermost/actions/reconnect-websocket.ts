import type { Action } from './action.js';

/**
 * Drop the WebSocket as a network change would; the official client reconnects by itself after
 * its backoff and resumes (or gets a new hello and refetches). mm_ws_reconnect_time measures it.
 */
export const reconnectWebSocket: Action = {
  name: 'reconnect_websocket',
  needsLogin: true,
  async run(user) {
    user.session.cut();
  },
};
