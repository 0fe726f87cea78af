import { registerChannelMemberRoutes } from './api/channel-members.js';
import { registerChannelRoutes } from './api/channels.js';
import { registerDraftRoutes } from './api/drafts.js';
import { registerFileRoutes } from './api/files.js';
import { registerPostRoutes } from './api/posts.js';
import { registerReactionRoutes } from './api/reactions.js';
import { registerSearchRoutes } from './api/search.js';
import { registerStatusRoutes } from './api/statuses.js';
import { registerSystemRoutes } from './api/system.js';
import { registerTeamRoutes } from './api/teams.js';
import { registerThreadRoutes } from './api/threads.js';
import { registerUserRoutes } from './api/users.js';
import type { ApiRouter } from './http/router.js';

// Every API area registers its own routes; adding an area touches its file and this list.
export function registerRoutes(api: ApiRouter): void {
  registerSystemRoutes(api);
  registerUserRoutes(api);
  registerTeamRoutes(api);
  registerChannelRoutes(api);
  registerChannelMemberRoutes(api);
  registerStatusRoutes(api);
  registerPostRoutes(api);
  registerThreadRoutes(api);
  registerSearchRoutes(api);
  registerReactionRoutes(api);
  registerFileRoutes(api);
  registerDraftRoutes(api);
}
