import { formatBytes } from '../display/format-units.js';

/** A progress line on stderr, redrawn at most every 200 ms, only when stderr is a terminal. */
export class Progress {
  private lines = 0;
  private bytes = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly enabled: boolean;
  private totalBytes?: number;

  constructor(enabled: boolean) {
    this.enabled = enabled && !!process.stderr.isTTY;
  }

  /** What will be read, once it is known; without it the line shows no percentage. */
  setTotal(bytes: number): void {
    this.totalBytes = bytes > 0 ? bytes : undefined;
  }

  add(bytes: number, lines: number): void {
    this.bytes += bytes;
    this.lines += lines;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.draw(now);
  }

  private draw(now: number): void {
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = `${Math.round(this.lines / secs).toLocaleString('en-US')} lines/s, ${formatBytes(this.bytes / secs)}/s`;
    let bar = '';
    if (this.totalBytes) {
      const f = Math.min(this.bytes / this.totalBytes, 1);
      const width = 24;
      bar = `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}] ${(f * 100).toFixed(0).padStart(3)}% `;
    }
    process.stderr.write(`\r${bar}${this.lines.toLocaleString('en-US')} lines  ${rate}\x1b[K`);
  }

  done(): void {
    if (this.enabled && this.lastDraw > 0) process.stderr.write('\r\x1b[K');
  }
}
