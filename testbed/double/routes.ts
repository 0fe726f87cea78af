import { registerSystemRoutes } from './api/system.js';
import { registerUserRoutes } from './api/users.js';
import type { ApiRouter } from './http/router.js';

// Every API area registers its own routes; adding an area touches its file and this list.
export function registerRoutes(api: ApiRouter): void {
  registerSystemRoutes(api);
  registerUserRoutes(api);
}
