// Requests waiting for a server: a bounded priority queue, higher priority first (an entity's defaultPriority,
// 0–100) and first-come-first-served within a priority. A binary heap ordered by (priority, arrival number) keeps
// push, pop and remove at O(log n); each item knows its heap position, so a cancelled request leaves in O(log n).

export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  readonly code = 'queue_full';

  constructor(readonly maxSize: number) {
    super(`the request queue is full (${maxSize} requests waiting)`);
  }
}

export interface RequestQueueOptions {
  /** Requests that may wait at once; one more is refused with QueueFullError (clusterSettings.maxQueueSize). */
  maxSize?: number;
}

export const DefaultRequestQueueOptions = { maxSize: 1000 } as const satisfies Required<RequestQueueOptions>;

interface Node<T> {
  item: T;
  priority: number;
  seq: number;
  index: number;
}

export class RequestQueue<T> {
  readonly maxSize: number;
  readonly #heap: Node<T>[] = [];
  readonly #nodes = new Map<T, Node<T>>();
  #seq = 0;

  constructor(options: RequestQueueOptions = {}) {
    const maxSize = options.maxSize ?? DefaultRequestQueueOptions.maxSize;
    if (!Number.isSafeInteger(maxSize) || maxSize < 1) {
      throw new RangeError('options.maxSize must be a positive integer');
    }
    this.maxSize = maxSize;
  }

  get size(): number {
    return this.#heap.length;
  }

  has(item: T): boolean {
    return this.#nodes.has(item);
  }

  /** Adds a request. Throws QueueFullError when `maxSize` wait already, TypeError if the item is queued already. */
  push(item: T, priority: number): void {
    if (!Number.isFinite(priority)) throw new RangeError('priority must be a finite number');
    if (this.#nodes.has(item)) throw new TypeError('the item is queued already');
    if (this.#heap.length >= this.maxSize) throw new QueueFullError(this.maxSize);
    const node: Node<T> = { item, priority, seq: this.#seq++, index: this.#heap.length };
    this.#heap.push(node);
    this.#nodes.set(item, node);
    this.#siftUp(node.index);
  }

  /** The request that would be popped next, left in place. */
  peek(): T | undefined {
    return this.#heap[0]?.item;
  }

  /** Takes the highest-priority, longest-waiting request. */
  pop(): T | undefined {
    const top = this.#heap[0];
    if (!top) return undefined;
    this.#removeAt(0);
    return top.item;
  }

  /** Takes a request out wherever it is (cancelled or aborted). False if it was not queued. */
  remove(item: T): boolean {
    const node = this.#nodes.get(item);
    if (!node) return false;
    this.#removeAt(node.index);
    return true;
  }

  /** Empties the queue and returns what was waiting, in pop order (for shutdown: reject each). */
  drain(): T[] {
    const items: T[] = [];
    while (this.#heap.length > 0) items.push(this.pop() as T);
    return items;
  }

  #removeAt(index: number): void {
    const node = this.#heap[index] as Node<T>;
    const last = this.#heap.pop() as Node<T>;
    this.#nodes.delete(node.item);
    if (last === node) return;
    this.#heap[index] = last;
    last.index = index;
    this.#siftUp(index);
    this.#siftDown(last.index);
  }

  /** a goes before b. */
  #before(a: Node<T>, b: Node<T>): boolean {
    return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
  }

  #siftUp(index: number): void {
    const node = this.#heap[index] as Node<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.#heap[parentIndex] as Node<T>;
      if (!this.#before(node, parent)) break;
      this.#place(parent, index);
      index = parentIndex;
    }
    this.#place(node, index);
  }

  #siftDown(index: number): void {
    const node = this.#heap[index] as Node<T>;
    const length = this.#heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = this.#heap[left] as Node<T>;
      if (right < length && this.#before(this.#heap[right] as Node<T>, child))
        child = this.#heap[right] as Node<T>;
      if (!this.#before(child, node)) break;
      const childIndex = child.index;
      this.#place(child, index);
      index = childIndex;
    }
    this.#place(node, index);
  }

  #place(node: Node<T>, index: number): void {
    this.#heap[index] = node;
    node.index = index;
  }
}
