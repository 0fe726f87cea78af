import { defineConfig } from 'vitest/config';

// Two lanes run side by side, each one file at a time. The drills (native and over containers)
// are long and mostly wait on timers; running them beside the rest of the suite keeps CI well
// inside its limit on a 2-core machine. Stacks share nothing (random ports, own state folders,
// own egress tables), so the lanes do not meet.
const DRILL_LANE = ['test/integration/drills.test.ts', 'test/integration/containers-live.test.ts'];

export default defineConfig({
  test: {
    // Integration suites start real PostgreSQL and S3 servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
    // The official WebSocketClient narrates every connect and close on the console; keep test
    // output readable by dropping exactly those lines.
    onConsoleLog(log) {
      return !/^(websocket |got connection id|ping received|missed websocket event|long timeout|network (online|offline))/.test(
        log,
      );
    },
    projects: [
      { extends: true, test: { name: 'drills', include: DRILL_LANE } },
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: DRILL_LANE } },
    ],
  },
});
