import type { Action } from './action.js';

/**
 * The periodic client performance report, every 60 s, sent even when empty: `POST /client_perf`
 * (mattermost/mattermost-load-test-ng: loadtest/control/simulcontroller/periodic.go,
 * loadtest/user/userentity/report.go; the web app sends the same report every 45–75 s,
 * webapp/channels/src/utils/performance_telemetry/reporter.ts). Not part of the action mix: the
 * user model runs it on the status timer.
 */
export const sendClientMetrics: Action = {
  name: 'send_client_metrics',
  needsLogin: true,
  async run(user) {
    const end = Date.now();
    await user.call('POST', '/client_perf', {
      version: '0.1.0',
      client_id: user.me.id,
      labels: { platform: 'other', agent: 'other' },
      start: end - 60_000,
      end,
      histograms: [],
    });
  },
};
