// Frames for a simulated screen share: a small I420 picture whose content changes every frame
// (a moving bar over a slowly shifting background), so the encoder sends real deltas at a
// screen-share frame rate instead of skipping identical frames.

export const SCREEN_WIDTH = 320;
export const SCREEN_HEIGHT = 180;

export class ScreenFrames {
  private count = 0;
  private readonly data = new Uint8Array((SCREEN_WIDTH * SCREEN_HEIGHT * 3) / 2);

  next(): { width: number; height: number; data: Uint8Array } {
    const luma = SCREEN_WIDTH * SCREEN_HEIGHT;
    const background = 40 + ((this.count * 3) % 160);
    this.data.fill(background, 0, luma);
    const barX = (this.count * 16) % SCREEN_WIDTH;
    for (let y = 0; y < SCREEN_HEIGHT; y++) {
      const row = y * SCREEN_WIDTH;
      for (let x = barX; x < Math.min(barX + 24, SCREEN_WIDTH); x++) this.data[row + x] = 235;
    }
    this.data.fill(128, luma); // neutral chroma
    this.count++;
    return { width: SCREEN_WIDTH, height: SCREEN_HEIGHT, data: this.data };
  }
}
