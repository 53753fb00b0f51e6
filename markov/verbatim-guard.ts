// Refuses Markov replies that copy the training text: a whole training message, or a long run of one message's
// words. Exact answers from hashed structures (trigram chains, whole-message hashes), never a corpus scan.

/*
 * Layout (each structure's file explains it)
 * - guard/word-stream.ts: every message's word ids, each followed by a separator; removed messages are blanked
 *   out with tombstones until compaction.
 * - guard/trigram-index.ts: trigram hash buckets heading chains of stream positions.
 * - guard/message-table.ts: an open-addressing table of whole-message hashes and stream starts.
 * - persistence (guard/guard-codec.ts, guard/parts-validation.ts): every structure is a typed array, so `toParts`
 *   hands out copies of them and `fromParts` adopts them as they are, after O(1) size checks: nothing is
 *   scanned, re-hashed or re-chained on load. A loaded guard only reads the adopted arrays; its first `add` or
 *   effective `remove` checks them in one O(W) pass and copies them, so the arrays (and the Buffers `decode`
 *   viewed) are never written to.
 *
 * Complexity (L = reply length, n = forbiddenRun(L) <= 16, W = total words held)
 * - add: O(L) amortised; the stream and the bucket table double, and a doubling re-chains in O(W).
 * - remove: O(L) amortised; a compaction, O(W), runs only when dead tokens outnumber live ones.
 * - isVerbatim: O(L) for the whole-message lookup, O(L·n) to pick in every window of n words the trigram with the
 *   shortest chain, then each distinct chosen trigram's chain is walked once, O(n) per entry. A window holding
 *   one rare trigram therefore costs O(few·n); only a reply made entirely of very common trigrams pays
 *   O(L · shortest chain · n).
 * - memory: about 8 bytes per word (stream + link) plus 8 bytes per bucket (0.5 to 1 bucket per trigram), with
 *   up to 2× slack from doubling, plus 8 bytes per message-table slot (2 to 4 slots per message). O(W),
 *   independent of the vocabulary. Persisted: the same without the stream's spare capacity.
 */

import { decodeGuard, encodeGuard } from './guard/guard-codec.js';
import { MessageTable } from './guard/message-table.js';
import { checkPartsContent, checkPartsShape } from './guard/parts-validation.js';
import { TrigramIndex } from './guard/trigram-index.js';
import { NONE, WordStream, checkWordIds } from './guard/word-stream.js';

const MAX_RUN = 15;

/**
 * A guard as plain typed arrays, for storage (see VerbatimGuard.encode). Positions are stream indexes; -1 is
 * "none" in every array. `toParts` gives copies; `fromParts` adopts the arrays without copying and never writes
 * to them.
 */
export interface VerbatimGuardParts {
  /** Every held message's word ids (>= 0), each followed by -1; no removed text, no spare capacity. */
  readonly stream: Int32Array;
  /** Per stream position, the previous position in its trigram chain (always lower), or -1. */
  readonly next: Int32Array;
  /** Per trigram bucket (a power of two of them), the newest position chained there, or -1. */
  readonly heads: Int32Array;
  /** Per trigram bucket, its chain's length. */
  readonly counts: Int32Array;
  /** Per slot of the whole-message table (a power of two of them, at most half full), the message's hash. */
  readonly slotHashes: Uint32Array;
  /** Per slot of the whole-message table, the message's stream start, or -1 for an empty slot. */
  readonly slotStarts: Int32Array;
  /** Messages held: separators in the stream, full slots in the table. */
  readonly messages: number;
  /** Trigrams held (a message of n words has n - 2): the chain entries, what `counts` add up to. */
  readonly trigrams: number;
}

export class VerbatimGuard {
  #stream = new WordStream();
  #index = new TrigramIndex(this.#stream);
  #table = new MessageTable(this.#stream);
  /** The parts adopted by fromParts, while their arrays are only read: #own checks and copies them. */
  #adopted: VerbatimGuardParts | undefined;

  /** The run length forbidden for a reply of `length` words: min(15, round(0.7·length)) + 1. */
  static forbiddenRun(length: number): number {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`length must be a natural number: ${length}`);
    }
    // Integer arithmetic: 0.7 * 5 must round to 4, whatever floating point makes of it.
    return Math.min(MAX_RUN, Math.floor((7 * length + 5) / 10)) + 1;
  }

  /**
   * Serialises parts: a small JSON header and one blob per array, 4 bytes per element, little-endian. The blobs
   * view the parts' memory (on little-endian hosts), so store them before the parts change.
   */
  static encode(parts: VerbatimGuardParts): { header: string; blobs: Record<string, Buffer> } {
    return encodeGuard(parts);
  }

  /**
   * Reads back what `encode` wrote. Aligned blobs are viewed, not copied (the guard never writes to them);
   * blobs whose offset is not a multiple of 4 are copied. Only the header and blob sizes are checked here.
   */
  static decode(header: string, blobs: Record<string, Buffer>): VerbatimGuardParts {
    return decodeGuard(header, blobs);
  }

  /**
   * A guard that answers, adds and removes exactly as the one `parts` came from. The arrays are adopted as they
   * are, after O(1) checks of their sizes: loading costs no pass over the text. They are only read until the
   * first add or remove, which checks them in full (one O(W) pass of integer tests) and copies them; damaged
   * parts raise a RangeError there. Before that, damaged parts can only make answers wrong: every chain walk and
   * table probe is bounded, and reads past an array's end match nothing.
   */
  static fromParts(parts: VerbatimGuardParts): VerbatimGuard {
    checkPartsShape(parts);
    const { stream, next, heads, counts, slotHashes, slotStarts, messages, trigrams } = parts;
    const guard = new VerbatimGuard();
    guard.#stream = WordStream.adopt(stream);
    guard.#index = TrigramIndex.adopt(guard.#stream, next, heads, counts, trigrams);
    guard.#table = MessageTable.adopt(guard.#stream, slotHashes, slotStarts, messages);
    guard.#adopted = { stream, next, heads, counts, slotHashes, slotStarts, messages, trigrams };
    return guard;
  }

  /** Number of training messages held (a message added twice counts twice). */
  get messages(): number {
    return this.#table.messages;
  }

  /** Approximate bytes held (for a memory cap). */
  get bytes(): number {
    return this.#stream.bytes + this.#index.bytes + this.#table.bytes;
  }

  /**
   * Copies of the guard's arrays, for `encode`. Removed messages are compacted away first, so nothing removed
   * is stored; the guard itself answers as before.
   */
  toParts(): VerbatimGuardParts {
    if (this.#stream.dead > 0) this.#compact();
    return {
      stream: this.#stream.toArray(),
      ...this.#index.toParts(),
      ...this.#table.toParts(),
      messages: this.#table.messages,
      trigrams: this.#index.trigrams,
    };
  }

  /** Adds one training message, as its sequence of word ids. */
  add(words: readonly number[]): void {
    checkWordIds(words);
    this.#own();
    const start = this.#stream.append(words);
    this.#index.addMessage(start, words.length);
    this.#table.add(words, start);
  }

  /** Removes one copy of a training message added before; a message never added is ignored. */
  remove(words: readonly number[]): void {
    checkWordIds(words);
    const slot = this.#table.find(words);
    if (slot === NONE) return;
    this.#own();
    this.#stream.kill(this.#table.removeAt(slot), words.length);
    this.#index.removeMessage(words.length);
    if (this.#stream.needsCompaction) this.#compact();
  }

  /**
   * True when the reply equals a training message, or shares a run of forbiddenRun(reply.length) consecutive
   * words with any one training message. Replies under 3 words are only compared with whole messages. Ids that
   * are not word ids (the caller passes -1 for unknown words) never match anything.
   */
  isVerbatim(reply: readonly number[]): boolean {
    if (this.#table.find(reply) !== NONE) return true;
    return this.#index.sharesRun(reply, VerbatimGuard.forbiddenRun(reply.length));
  }

  /** Before a loaded guard's first change: checks and copies the adopted arrays, so they are never written. */
  #own(): void {
    if (this.#adopted === undefined) return;
    checkPartsContent(this.#adopted);
    this.#adopted = undefined;
    this.#stream.own();
    this.#index.own();
    this.#table.own();
  }

  /** Drops removed messages from the stream, then re-derives the message table and the chains. */
  #compact(): void {
    this.#stream.compact();
    this.#table.rebuild();
    this.#index.rebuild();
  }
}
