import type { ApiRouter } from '../http/router.js';

// GET /api/v4/system/ping: 200 {"status":"OK"} while the process runs; with
// get_server_status=true it also checks the database and the file store and answers 500 with
// "status":"UNHEALTHY" if either fails (what load balancers and mmdrill's probes read).
export function registerSystemRoutes(api: ApiRouter): void {
  api.get(
    '/api/v4/system/ping',
    'getSystemPing',
    async (ctx, s) => {
      const body: Record<string, string> = {
        ActiveSearchBackend: 'database',
        AndroidLatestVersion: '',
        AndroidMinVersion: '',
        IosLatestVersion: '',
        IosMinVersion: '',
        status: 'OK',
      };
      if (ctx.query.get('get_server_status') === 'true') {
        const [dbOk, filesOk] = await Promise.all([
          s.db.healthy(),
          s.files ? s.files.healthy() : Promise.resolve(true),
        ]);
        body.database_status = dbOk ? 'OK' : 'UNHEALTHY';
        body.filestore_status = filesOk ? 'OK' : 'UNHEALTHY';
        body.CanReceiveNotifications = 'unknown';
        if (!dbOk || !filesOk) body.status = 'UNHEALTHY';
      }
      return { status: body.status === 'OK' ? 200 : 500, body };
    },
    { auth: false },
  );
}
