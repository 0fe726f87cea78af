import { defineConfig } from 'vitest/config';

// Two groups, one after the other (`groupOrder`: the paired files first). Files whose verdict depends on timing (drills that must pass
// with a valid harness, rate accuracy, capacity steps) run alone, one at a time, so nothing else
// takes the machine's two cores from them. The rest (the double's conformance, the stack, CLI,
// unit tests) runs two files at a time: stacks share nothing (random ports, own state folders,
// own egress tables), and those files assert behaviour, not speed.
const ALONE = [
  'test/integration/audits.test.ts',
  'test/integration/calls.test.ts',
  'test/integration/capacity.test.ts',
  'test/integration/capacity-cli.test.ts',
  'test/integration/containers-live.test.ts',
  'test/integration/drift.test.ts',
  'test/integration/drill-findings.test.ts',
  'test/integration/drills.test.ts',
  'test/integration/executors-accuracy.test.ts',
  'test/integration/run-accuracy.test.ts',
  'test/integration/steady-state.test.ts',
];

export default defineConfig({
  test: {
    // Integration suites start real PostgreSQL and S3 servers; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // The official WebSocketClient narrates every connect and close on the console; keep test
    // output readable by dropping exactly those lines.
    onConsoleLog(log) {
      return !/^(websocket |got connection id|ping received|missed websocket event|long timeout|network (online|offline))/.test(
        log,
      );
    },
    projects: [
      {
        extends: true,
        test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: 'paired',
          include: ['test/**/*.test.ts'],
          exclude: ALONE,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
    ],
  },
});
