// The bounded priority queue of waiting requests: priority order, FIFO within a priority, removal, the size limit.
import { describe, expect, it } from 'vitest';
import {
  DefaultRequestQueueOptions,
  QueueFullError,
  RequestQueue,
} from '../../cluster/core/request-queue.js';

interface Waiting {
  id: string;
}

const req = (id: string): Waiting => ({ id });

function popAll<T extends Waiting>(queue: RequestQueue<T>): string[] {
  const ids: string[] = [];
  for (let item = queue.pop(); item; item = queue.pop()) ids.push(item.id);
  return ids;
}

/** A deterministic pseudo-random sequence (LCG), so the stress test is repeatable. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('RequestQueue: order', () => {
  it('GIVEN different priorities THEN the highest comes out first', () => {
    const queue = new RequestQueue<Waiting>();
    queue.push(req('low'), 10);
    queue.push(req('high'), 90);
    queue.push(req('mid'), 50);
    expect(queue.size).toBe(3);
    expect(queue.peek()?.id).toBe('high');
    expect(popAll(queue)).toEqual(['high', 'mid', 'low']);
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });

  it('GIVEN equal priorities THEN first in, first out', () => {
    const queue = new RequestQueue<Waiting>();
    for (const id of ['a', 'b', 'c', 'd', 'e']) queue.push(req(id), 50);
    queue.push(req('urgent'), 51);
    expect(popAll(queue)).toEqual(['urgent', 'a', 'b', 'c', 'd', 'e']);
  });

  it('GIVEN interleaved pushes and pops THEN later arrivals of a priority still wait behind earlier ones', () => {
    const queue = new RequestQueue<Waiting>();
    queue.push(req('a1'), 50);
    queue.push(req('a2'), 50);
    expect(queue.pop()?.id).toBe('a1');
    queue.push(req('a3'), 50);
    queue.push(req('b1'), 0);
    queue.push(req('c1'), 100);
    expect(popAll(queue)).toEqual(['c1', 'a2', 'a3', 'b1']);
  });

  it('GIVEN thousands of random pushes, pops and removes THEN the order always matches a sorted reference', () => {
    const random = lcg(42);
    const queue = new RequestQueue<Waiting & { priority: number; seq: number }>({ maxSize: 10_000 });
    let reference: (Waiting & { priority: number; seq: number })[] = [];
    const sortReference = () => reference.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    for (let seq = 0; seq < 5000; seq++) {
      const roll = random();
      if (roll < 0.55) {
        const item = { id: `r${seq}`, priority: Math.floor(random() * 5) * 25, seq };
        queue.push(item, item.priority);
        reference.push(item);
      } else if (roll < 0.85) {
        sortReference();
        expect(queue.pop()).toBe(reference.shift());
      } else if (reference.length > 0) {
        const victim = reference[Math.floor(random() * reference.length)] as (typeof reference)[number];
        expect(queue.remove(victim)).toBe(true);
        reference = reference.filter((item) => item !== victim);
      }
      expect(queue.size).toBe(reference.length);
    }
    sortReference();
    expect(popAll(queue)).toEqual(reference.map((item) => item.id));
  });
});

describe('RequestQueue: remove', () => {
  it('GIVEN a cancelled request anywhere in the queue THEN it leaves and the rest keep their order', () => {
    const queue = new RequestQueue<Waiting>();
    const items = ['a', 'b', 'c', 'd', 'e', 'f'].map(req);
    items.forEach((item, i) => queue.push(item, i % 3));
    expect(queue.remove(items[4] as Waiting)).toBe(true);
    expect(queue.has(items[4] as Waiting)).toBe(false);
    expect(queue.remove(items[0] as Waiting)).toBe(true);
    expect(queue.size).toBe(4);
    // Priorities: a 0, b 1, c 2, d 0, e 1, f 2.
    expect(popAll(queue)).toEqual(['c', 'f', 'b', 'd']);
  });

  it('GIVEN an item not queued (or removed already) THEN remove says false', () => {
    const queue = new RequestQueue<Waiting>();
    const item = req('a');
    expect(queue.remove(item)).toBe(false);
    queue.push(item, 1);
    expect(queue.remove(item)).toBe(true);
    expect(queue.remove(item)).toBe(false);
  });

  it('GIVEN the head is removed THEN the next one is at the head', () => {
    const queue = new RequestQueue<Waiting>();
    const head = req('head');
    queue.push(req('second'), 5);
    queue.push(head, 9);
    queue.remove(head);
    expect(queue.peek()?.id).toBe('second');
  });

  it('GIVEN a popped item THEN it can be queued again (a retry)', () => {
    const queue = new RequestQueue<Waiting>();
    const item = req('a');
    queue.push(item, 1);
    queue.pop();
    queue.push(item, 1);
    expect(queue.has(item)).toBe(true);
  });

  it('GIVEN a drain THEN everything comes out in pop order and the queue is empty', () => {
    const queue = new RequestQueue<Waiting>();
    queue.push(req('low'), 0);
    queue.push(req('high'), 100);
    expect(queue.drain().map((item) => item.id)).toEqual(['high', 'low']);
    expect(queue.size).toBe(0);
  });
});

describe('RequestQueue: limits and checks', () => {
  it('GIVEN the default THEN 1000 requests may wait (clusterSettings.maxQueueSize)', () => {
    expect(DefaultRequestQueueOptions.maxSize).toBe(1000);
    expect(new RequestQueue().maxSize).toBe(1000);
  });

  it('GIVEN a full queue THEN push throws QueueFullError with code queue_full, naming the size', () => {
    const queue = new RequestQueue<Waiting>({ maxSize: 2 });
    queue.push(req('a'), 1);
    queue.push(req('b'), 1);
    let error: unknown;
    try {
      queue.push(req('c'), 100);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toMatchObject({
      code: 'queue_full',
      maxSize: 2,
      name: 'QueueFullError',
      message: 'the request queue is full (2 requests waiting)',
    });
    expect(queue.size).toBe(2);
    queue.pop();
    queue.push(req('c'), 100);
    expect(queue.peek()?.id).toBe('c');
  });

  it('GIVEN the same item twice THEN the second push is refused', () => {
    const queue = new RequestQueue<Waiting>();
    const item = req('a');
    queue.push(item, 1);
    expect(() => queue.push(item, 2)).toThrow(new TypeError('the item is queued already'));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('GIVEN priority %s THEN push refuses it', (priority) => {
    expect(() => new RequestQueue<Waiting>().push(req('a'), priority)).toThrow(
      new RangeError('priority must be a finite number'),
    );
  });

  it.each([0, -1, 1.5])('GIVEN maxSize %s THEN the constructor refuses it', (maxSize) => {
    expect(() => new RequestQueue({ maxSize })).toThrow(
      new RangeError('options.maxSize must be a positive integer'),
    );
  });
});
