import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInFrame } from '../../../src/cli/command-frame.js';
import { disarmEarlyInterrupt } from '../../../src/cli/early-interrupt.js';

// The frame's rule: an interrupt at any moment makes the exit code 130 and the last line
// "interrupted", whatever the interrupted step then returned or threw; without one, the body's
// code stands and its errors propagate (main.ts reports them).

let stderr: string[];

beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  disarmEarlyInterrupt();
  process.exitCode = undefined;
});

/** Resolves when `signal` aborts. */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

describe('runInFrame', () => {
  it("uses the body's exit code when nothing interrupts it", async () => {
    await runInFrame({ onInterrupt: 'stopping…' }, async () => 99);
    expect(process.exitCode).toBe(99);
    expect(stderr.join('')).toBe('');
  });

  it('lets an error through when nothing interrupted the command', async () => {
    await expect(
      runInFrame({ onInterrupt: 'stopping…' }, async () => {
        throw new Error('broken');
      }),
    ).rejects.toThrow('broken');
  });

  it('turns what an interrupted step throws into 130 and "interrupted", not an internal error', async () => {
    await runInFrame({ onInterrupt: 'stopping the seed…' }, async ({ signal }) => {
      setImmediate(() => process.emit('SIGINT', 'SIGINT'));
      await aborted(signal);
      throw new Error('interrupted by SIGINT');
    });
    expect(process.exitCode).toBe(130);
    expect(stderr.join('')).toBe('SIGINT: stopping the seed…\nmmdrill: interrupted\n');
  });

  it('makes a wound-down run exit 130 even though the body returned its verdict', async () => {
    await runInFrame({ onInterrupt: 'stopping…', interruptedLine: 'run interrupted' }, async ({ signal }) => {
      setImmediate(() => process.emit('SIGTERM', 'SIGTERM'));
      await aborted(signal);
      return 0;
    });
    expect(process.exitCode).toBe(130);
    expect(stderr.join('')).toContain('run interrupted');
  });

  it('stops listening for the signals when the command is over (the early handler takes over)', async () => {
    const before = process.listenerCount('SIGINT');
    await runInFrame({ onInterrupt: 'stopping…' }, async () => {
      expect(process.listenerCount('SIGINT')).toBe(before + 1);
      return 0;
    });
    disarmEarlyInterrupt();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
