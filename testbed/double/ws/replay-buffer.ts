/**
 * The last N frames sent on one connection, by seq: Mattermost's per-connection "dead queue"
 * (128 events), used to resume a connection without a new hello.
 */
export class ReplayBuffer {
  private readonly frames: string[] = [];
  private firstSeq = 0;

  constructor(private readonly capacity: number) {}

  push(seq: number, frame: string): void {
    if (this.frames.length === 0) this.firstSeq = seq;
    this.frames.push(frame);
    if (this.frames.length > this.capacity) {
      this.frames.shift();
      this.firstSeq += 1;
    }
  }

  /**
   * Frames from `seq` up to the newest, or null when `seq` is no longer (or not yet) buffered.
   * `nextSeq` is the seq the connection would assign next; asking for it means "nothing missed".
   */
  from(seq: number, nextSeq: number): string[] | null {
    if (seq === nextSeq) return [];
    if (this.frames.length === 0 || seq < this.firstSeq || seq > nextSeq) return null;
    return this.frames.slice(seq - this.firstSeq);
  }
}
