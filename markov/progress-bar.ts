// A one-line progress bar for `chorus train` on a terminal: bytes done against the total, messages, rate and
// ETA, redrawn in place with '\r' at most every 100 ms. Off a terminal it prints nothing.

export interface ProgressBarOptions {
  /** Bytes to process in all. */
  total: number;
  write: (s: string) => void;
  isTTY: boolean;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
  /** Leading word (default 'train'). */
  label?: string;
  /** Cells in the bar (default 20). */
  width?: number;
}

/** Redraws closer together than this are skipped. */
export const REDRAW_MS = 100;

/** 1234567 → '1,234,567' (rounded; the same in every locale). */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Seconds as m:ss, or h:mm:ss from an hour up; '--:--' when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export class ProgressBar {
  readonly #total: number;
  readonly #write: (s: string) => void;
  readonly #isTTY: boolean;
  readonly #now: () => number;
  readonly #label: string;
  readonly #width: number;
  readonly #start: number;
  #lastDraw = -Infinity;
  #lastLength = 0;
  #finished = false;

  constructor(o: ProgressBarOptions) {
    if (!(o.total >= 0)) throw new RangeError('total must be a number of bytes, 0 or more');
    this.#total = o.total;
    this.#write = o.write;
    this.#isTTY = o.isTTY;
    this.#now = o.now ?? Date.now;
    this.#label = o.label ?? 'train';
    this.#width = Math.max(1, Math.floor(o.width ?? 20));
    this.#start = this.#now();
  }

  /** Bytes done so far and messages so far; redraws when at least REDRAW_MS passed since the last draw. */
  update(done: number, messages: number): void {
    if (!this.#isTTY || this.#finished) return;
    const at = this.#now();
    if (at - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = at;
    this.#draw(this.line(done, messages, at));
  }

  /** Draws the final line (all bytes done) and ends it with a newline. */
  finish(messages: number): void {
    if (!this.#isTTY || this.#finished) return;
    this.#finished = true;
    this.#draw(this.line(this.#total, messages, this.#now()));
    this.#write('\n');
  }

  /** The text of the bar at time `at`, e.g. `train  [#########-----------]  45%  99,000 msgs  180,000 msg/s  ETA 0:03`. */
  line(done: number, messages: number, at: number = this.#now()): string {
    const fraction = this.#total > 0 ? Math.min(1, Math.max(0, done / this.#total)) : 1;
    const filled = Math.floor(fraction * this.#width);
    const bar = '#'.repeat(filled) + '-'.repeat(this.#width - filled);
    const percent = String(Math.floor(fraction * 100)).padStart(3);
    const seconds = Math.max(0, at - this.#start) / 1000;
    const rate = seconds > 0 ? messages / seconds : 0;
    const eta =
      fraction >= 1 ? 0 : fraction > 0 && seconds > 0 ? (seconds * (1 - fraction)) / fraction : Infinity;
    return (
      `${this.#label}  [${bar}] ${percent}%  ${formatCount(messages)} msgs  ` +
      `${formatCount(rate)} msg/s  ETA ${formatDuration(eta)}`
    );
  }

  #draw(line: string): void {
    // Pad over what is left of a longer previous line.
    this.#write(`\r${line.padEnd(this.#lastLength)}`);
    this.#lastLength = line.length;
  }
}
