// How `markov train` estimates and reports its progress: snowflake times, the time-coverage ETA, the texts.
import { describe, expect, it } from 'vitest';
import {
  estimateRemainingMs,
  formatDuration,
  progressText,
  snowflakeTime,
  summaryText,
  type TrainCounts,
} from '../../bots/discord/admin/train-progress.js';

const snowflakeAt = (ms: number) => String((BigInt(ms) - 1_420_070_400_000n) << 22n);

describe('train progress', () => {
  it('GIVEN a snowflake THEN its creation time; a malformed id THEN undefined', () => {
    expect(snowflakeTime('175928847299117063')).toBe(1_462_015_105_796);
    expect(snowflakeTime(snowflakeAt(1_700_000_000_000))).toBe(1_700_000_000_000);
    expect(snowflakeTime('abc')).toBeUndefined();
  });

  it('GIVEN a quarter of the time span read in 10 s THEN about 30 s left; nothing read THEN unknown', () => {
    const base = { channelCreatedAt: 0, newestAt: 400_000 };
    expect(estimateRemainingMs({ ...base, elapsedMs: 10_000, oldestReadAt: 300_000 })).toBe(30_000);
    expect(estimateRemainingMs({ ...base, elapsedMs: 10_000, oldestReadAt: 0 })).toBe(0);
    expect(estimateRemainingMs({ ...base, elapsedMs: 10_000, oldestReadAt: undefined })).toBeUndefined();
    expect(estimateRemainingMs({ ...base, elapsedMs: 0, oldestReadAt: 300_000 })).toBeUndefined();
    expect(estimateRemainingMs({ ...base, elapsedMs: 1000, oldestReadAt: 400_000 })).toBeUndefined();
  });

  it('GIVEN durations THEN short human forms', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_900_000)).toBe('1h 05m');
  });

  it('GIVEN counts THEN the progress and summary say what happened', () => {
    const counts: TrainCounts = {
      read: 250,
      trained: 200,
      live: 0,
      added: 200,
      skipped: 50,
      pages: 3,
      threadsDone: 1,
      threads: 2,
    };
    const progress = progressText('#general', counts, 5_000, { etaMs: 20_000 });
    expect(progress).toContain('250 messages read in 3 pages (200 trained, 50 skipped), 50/s, 5s so far');
    expect(progress).toContain('ETA for the channel: ~20s');
    expect(progressText('#general', counts, 5_000, { thread: 'ideas' })).toContain(
      'Reading thread ideas; 1 thread(s) left',
    );
    expect(progressText('#general', counts, 5_000, { etaMs: undefined })).toContain('ETA: not known yet');
    const summary = summaryText('#general', counts, 5_000, ['channel:discord:1']);
    expect(summary).toContain('Trained #general in 5s.');
    expect(summary).toContain('Scopes: channel:discord:1');
    expect(summaryText('#general', counts, 5_000, [], 'shutting down')).toContain(
      'Stopped training #general: shutting down.',
    );
  });
});
