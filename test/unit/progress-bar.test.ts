// The `chorus train` progress bar, driven by a fake clock: what it draws on a terminal and off one.
import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDuration,
  ProgressBar,
  type ProgressBarOptions,
} from '../../markov/progress-bar.js';

function setup(options: Partial<ProgressBarOptions> = {}) {
  const written: string[] = [];
  let clock = 1_000_000;
  const bar = new ProgressBar({
    total: 1000,
    write: (s) => written.push(s),
    isTTY: true,
    now: () => clock,
    ...options,
  });
  return {
    bar,
    written,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('ProgressBar on a terminal', () => {
  it('draws the bar, percentage, messages, rate and ETA in place', () => {
    const { bar, written, advance } = setup();
    bar.update(0, 0);
    advance(5000);
    bar.update(450, 90_000);
    expect(written).toEqual([
      '\rtrain  [--------------------]   0%  0 msgs  0 msg/s  ETA --:--',
      // 90,000 messages in 5 s; 450 of 1000 bytes in 5 s leaves 550 bytes ≈ 6.1 s.
      '\rtrain  [#########-----------]  45%  90,000 msgs  18,000 msg/s  ETA 0:06',
    ]);
  });

  it('redraws at most every 100 ms', () => {
    const { bar, written, advance } = setup();
    bar.update(10, 1);
    advance(50);
    bar.update(20, 2);
    advance(49);
    bar.update(30, 3);
    expect(written).toHaveLength(1);
    advance(1);
    bar.update(40, 4);
    expect(written).toHaveLength(2);
    expect(written[1]).toContain('   4%  4 msgs');
  });

  it('finish() draws the final line at 100% and ends it with a newline', () => {
    const { bar, written, advance } = setup();
    bar.update(100, 1000);
    advance(10_000);
    bar.finish(200_000);
    expect(written.slice(1)).toEqual([
      '\rtrain  [####################] 100%  200,000 msgs  20,000 msg/s  ETA 0:00',
      '\n',
    ]);
    // Nothing more after finishing.
    advance(1000);
    bar.update(1000, 1);
    bar.finish(1);
    expect(written).toHaveLength(3);
  });

  it('finish() draws even right after an update', () => {
    const { bar, written } = setup();
    bar.update(500, 5);
    bar.finish(10);
    expect(written).toHaveLength(3);
    expect(written.at(-1)).toBe('\n');
  });

  it('pads over the rest of a longer previous line', () => {
    const { bar, written, advance } = setup({ total: 10_000_000 });
    advance(1000);
    bar.update(1, 1_000_000);
    advance(100_000);
    bar.update(9_000_000, 1_000_001);
    const [first, second] = written as [string, string];
    expect(first).toBe(
      '\rtrain  [--------------------]   0%  1,000,000 msgs  1,000,000 msg/s  ETA 2777:46:39',
    );
    expect(second.length).toBe(first.length);
    expect(second.trimEnd()).toBe(
      '\rtrain  [##################--]  90%  1,000,001 msgs  9,901 msg/s  ETA 0:11',
    );
  });

  it('shows hours in a long ETA and honours label and width', () => {
    const { bar, written, advance } = setup({ label: 'ubuntu', width: 10 });
    advance(60_000);
    bar.update(10, 600);
    // 1% in 60 s leaves 99 minutes.
    expect(written).toEqual(['\rubuntu  [----------]   1%  600 msgs  10 msg/s  ETA 1:39:00']);
  });

  it('treats an empty total as done', () => {
    const { bar, written } = setup({ total: 0 });
    bar.update(0, 0);
    expect(written).toEqual(['\rtrain  [####################] 100%  0 msgs  0 msg/s  ETA 0:00']);
  });

  it('refuses a negative total', () => {
    expect(() => setup({ total: -1 })).toThrow(RangeError);
  });
});

describe('ProgressBar off a terminal', () => {
  it('prints nothing, in update or finish', () => {
    const { bar, written, advance } = setup({ isTTY: false });
    bar.update(0, 0);
    advance(1000);
    bar.update(500, 50);
    bar.finish(100);
    expect(written).toEqual([]);
  });
});

describe('formatting', () => {
  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(180_000.4)).toBe('180,000');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(3.4)).toBe('0:03');
    expect(formatDuration(59)).toBe('0:59');
    expect(formatDuration(61)).toBe('1:01');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
});
