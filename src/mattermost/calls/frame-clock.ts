// One timer for every speaker of the process: each tick hands out the 10 ms audio frames that
// are due since the last (catching up after a late tick, up to a bound), instead of one
// setInterval per speaker drifting on its own.

const FRAME_MS = 10;
/** After a stall, send at most this much backlog at once (the rest is dropped, like a live mic). */
const MAX_CATCH_UP_FRAMES = 10;

export class FrameClock {
  private readonly subscribers = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private sent = 0;
  private start = 0;

  subscribe(onFrame: () => void): () => void {
    this.subscribers.add(onFrame);
    if (this.timer === null) this.startTimer();
    return () => {
      this.subscribers.delete(onFrame);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private startTimer(): void {
    this.start = performance.now();
    this.sent = 0;
    this.timer = setInterval(() => this.tick(), FRAME_MS);
    this.timer.unref();
  }

  private tick(): void {
    const due = Math.floor((performance.now() - this.start) / FRAME_MS);
    let frames = due - this.sent;
    if (frames > MAX_CATCH_UP_FRAMES) {
      this.sent = due - MAX_CATCH_UP_FRAMES;
      frames = MAX_CATCH_UP_FRAMES;
    }
    for (let i = 0; i < frames; i++) for (const send of this.subscribers) send();
    this.sent += Math.max(0, frames);
  }
}
