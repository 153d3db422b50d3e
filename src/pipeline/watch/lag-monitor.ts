/** Unread bytes below this are the normal distance to a busy writer (a quarter second of a fast logger). */
export const BEHIND_MIN_BYTES = 8 << 20;
/** Samples (one a second) over which the lag must have grown before watch says it is falling behind. */
export const BEHIND_WINDOW = 5;

export type LagChange = 'behind' | 'recovered' | null;

/**
 * Decides from the lag (bytes written but not yet read, sampled once a second) whether the reader is falling
 * behind: the lag has stayed large for a whole window and is larger than at its start. A catch-up shrinks the
 * lag and a burst is read within a second or two, so neither is a warning; a writer lastingly faster than the
 * reader is.
 */
export class LagMonitor {
  private readonly samples: number[] = [];
  private behind = false;

  update(lagBytes: number): LagChange {
    this.samples.push(lagBytes);
    if (this.samples.length > BEHIND_WINDOW + 1) this.samples.shift();
    if (!this.behind) {
      const full = this.samples.length === BEHIND_WINDOW + 1;
      if (full && this.samples.every((x) => x > BEHIND_MIN_BYTES) && lagBytes > this.samples[0]) {
        this.behind = true;
        return 'behind';
      }
    } else if (lagBytes < BEHIND_MIN_BYTES) {
      this.behind = false;
      return 'recovered';
    }
    return null;
  }
}
