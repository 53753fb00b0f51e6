// Streamed previews with a manual scheduler: posted once text exists, edited at most once per interval with
// the latest text, finalised in place, and removed when their reply never comes.
import { describe, expect, it } from 'vitest';
import { PreviewRegistry, previewKey } from '../../bots/discord/preview-registry.js';
import { StreamedPreview, type PreviewTarget, type Scheduler } from '../../bots/discord/streamed-preview.js';

class ManualScheduler implements Scheduler {
  time = 0;
  #timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward, running due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.splice(this.#timers.indexOf(due), 1);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function recordingTarget() {
  const calls: { op: string; at: number; text?: string; id?: string }[] = [];
  let clock: Scheduler | undefined;
  const target: PreviewTarget = {
    post: async (text) => {
      calls.push({ op: 'post', at: clock!.now(), text });
      return 'm1';
    },
    edit: async (id, text) => {
      calls.push({ op: 'edit', at: clock!.now(), id, text });
    },
    remove: async (id) => {
      calls.push({ op: 'remove', at: clock!.now(), id });
    },
  };
  return { calls, target, use: (s: Scheduler) => (clock = s) };
}

describe('streamed preview', () => {
  it('GIVEN blank partial text THEN nothing is posted', async () => {
    const s = new ManualScheduler();
    const { calls, target, use } = recordingTarget();
    use(s);
    const preview = new StreamedPreview(target, 1000, s, () => undefined);
    preview.update('   ');
    await s.advance(5000);
    expect(calls).toEqual([]);
    expect(await preview.finalize('final')).toBeUndefined();
  });

  it('GIVEN text streaming every 100 ms THEN one post, then edits at most once per second with the latest text', async () => {
    const s = new ManualScheduler();
    const { calls, target, use } = recordingTarget();
    use(s);
    const preview = new StreamedPreview(target, 1000, s, () => undefined);
    let text = '';
    for (let i = 0; i < 35; i++) {
      text += `w${i} `;
      preview.update(text);
      await s.advance(100);
    }
    expect(calls[0]).toMatchObject({ op: 'post', at: 0, text: 'w0' });
    const edits = calls.filter((c) => c.op === 'edit');
    expect(edits.map((e) => e.at)).toEqual([1000, 2000, 3000]);
    for (let i = 1; i < calls.length; i++)
      expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(1000);
    // Each edit shows the whole text as it was at that moment.
    expect(edits[0]!.text?.trim().split(' ')).toHaveLength(10);
  });

  it('GIVEN the reply is final THEN the preview is edited into it no sooner than one interval after the last edit', async () => {
    const s = new ManualScheduler();
    const { calls, target, use } = recordingTarget();
    use(s);
    const preview = new StreamedPreview(target, 1000, s, () => undefined);
    preview.update('partial');
    await s.advance(200);
    const done = preview.finalize('partial and final.');
    await s.advance(1000);
    expect(await done).toBe('m1');
    expect(calls).toEqual([
      { op: 'post', at: 0, text: 'partial' },
      { op: 'edit', at: 1000, id: 'm1', text: 'partial and final.' },
    ]);
    preview.update('late text');
    await s.advance(2000);
    expect(calls).toHaveLength(2);
  });

  it('GIVEN a finished preview whose reply never comes THEN the registry removes it after its ttl', async () => {
    const s = new ManualScheduler();
    const { calls, target, use } = recordingTarget();
    use(s);
    const registry = new PreviewRegistry({
      scheduler: s,
      ttlMs: 60_000,
      maxEntries: 10,
      onError: () => undefined,
    });
    const preview = new StreamedPreview(target, 1000, s, () => undefined);
    registry.add(previewKey(1, 'alpha'), preview);
    preview.update('half a sent');
    await s.advance(10);
    registry.finished(previewKey(1, 'alpha'));
    await s.advance(59_000);
    expect(calls.map((c) => c.op)).toEqual(['post']);
    await s.advance(2000);
    expect(calls.map((c) => c.op)).toEqual(['post', 'remove']);
    expect(registry.size).toBe(0);
  });

  it('GIVEN a preview taken by the sender THEN it no longer expires; GIVEN too many previews THEN the oldest is removed', async () => {
    const s = new ManualScheduler();
    const { calls, target, use } = recordingTarget();
    use(s);
    const registry = new PreviewRegistry({
      scheduler: s,
      ttlMs: 1000,
      maxEntries: 2,
      onError: () => undefined,
    });
    const first = new StreamedPreview(target, 1000, s, () => undefined);
    registry.add('a', first);
    first.update('first');
    await s.advance(1);
    registry.finished('a');
    expect(registry.take('a')).toBe(first);
    await s.advance(5000);
    expect(calls.filter((c) => c.op === 'remove')).toHaveLength(0);

    for (const key of ['b', 'c', 'd']) {
      const p = new StreamedPreview(target, 1000, s, () => undefined);
      registry.add(key, p);
      p.update(key);
      await s.advance(1);
    }
    expect(registry.size).toBe(2);
    expect(registry.take('b')).toBeUndefined();
    expect(calls.filter((c) => c.op === 'remove')).toHaveLength(1);
  });
});
