import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
  },
});
