// ScopeModel: a frozen base plus changes since must hold, after compaction, exactly what a model built from the
// resulting messages holds; persist through encode/decode; keep its verbatim guard in step; and reply.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { ChainBuilder } from '../../markov/chain-builder.js';
import { ScopeModel } from '../../markov/scope-model.js';
import { isWord, normalizeWord, tokenize } from '../../markov/tokenizer.js';

const SUBJECTS = ['the cat', 'my neighbour', 'a tired robot', 'our teacher', 'the old dog', 'Alice', 'Bob'];
const VERBS = ['likes', 'hates', 'watches', 'paints', 'forgets', 'finds', 'builds'];
const OBJECTS = [
  'the red ball',
  'a small boat',
  'the garden',
  'every song',
  'cold coffee',
  'the moon',
  'my keys',
];
const TAILS = [
  'today.',
  'at night!',
  'again, sadly.',
  'with a smile :)',
  'in the rain?',
  'before lunch.',
  '',
];

/** Varied chat lines sharing words, so replies can mix them. */
function corpus(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, () =>
    `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`.trim(),
  );
}

function built(stateSize: number, lines: readonly string[]): ScopeModel {
  const builder = new ChainBuilder(stateSize);
  for (const line of lines) builder.add(line);
  return ScopeModel.fromBuilt(builder.build());
}

/** The merged forward counts as a sorted multiset of [state tokens, next token, count], independent of ids. */
function counts(model: ScopeModel): string[] {
  const chain = model.chain;
  return [...chain.forwardCounts()]
    .map(([state, next, n]) => JSON.stringify([state.map((id) => chain.tokenOf(id)), chain.tokenOf(next), n]))
    .sort();
}

/** Stats that do not depend on the vocabulary kept or on memory. */
function shape(model: ScopeModel) {
  const { forwardStates, transitions, messages } = model.stats;
  return { forwardStates, transitions, messages };
}

function wordIds(model: ScopeModel, text: string): number[] {
  return tokenize(text)
    .filter(isWord)
    .map((t) => model.words.get(normalizeWord(t)));
}

const replyOptions = { keywords: [] as string[], minWords: 3, maxWords: 30, maxTries: 50 };

describe('ScopeModel', () => {
  const lines = corpus(1, 50);

  it('learns, forgets, compacts and survives encode/decode', () => {
    const model = ScopeModel.empty(2);
    expect(model.stats.messages).toBe(0);
    for (const line of lines) expect(model.learn(line)).toBe(true);
    expect(model.learn(':) !!')).toBe(false);
    expect(model.pending).toBe(50);
    expect(model.forget(lines[0]!, false)).toBe(true);
    expect(model.pending).toBe(49);
    expect(model.forget('never learnt at all', false)).toBe(false);

    const decoded = ScopeModel.decode(model.encode());
    expect(decoded.pending).toBe(0);
    expect(counts(decoded)).toEqual(counts(model));
    expect(shape(decoded)).toEqual(shape(model));
    expect(decoded.stats.vocabulary).toBe(model.stats.vocabulary);
    expect(decoded.stateSize).toBe(2);
    // encode compacted a copy: the model itself still has its changes pending.
    expect(model.pending).toBe(49);

    expect(decoded.learn('a brand new line about penguins')).toBe(true);
    expect(decoded.forget(lines[1]!, true)).toBe(true);
    const again = ScopeModel.decode(decoded.compact().encode());
    expect(counts(again)).toEqual(counts(built(2, [...lines.slice(2), 'a brand new line about penguins'])));
  });

  it('learning B over a base built from A, then compacting, holds what a build of A and B holds', () => {
    for (const k of [1, 2, 3]) {
      const a = corpus(2, 40);
      const b = [...corpus(3, 20), 'Zebras never paint the moon, Alice!'];
      const model = built(k, a);
      for (const line of b) model.learn(line);
      const expected = built(k, [...a, ...b]);
      expect(counts(model)).toEqual(counts(expected));
      // The merged state count is tracked incrementally, before any compaction.
      expect(shape(model)).toEqual(shape(expected));
      const compacted = model.compact();
      expect(compacted.pending).toBe(0);
      expect(counts(compacted)).toEqual(counts(expected));
      expect(compacted.stats).toEqual(expected.stats);
    }
  });

  it('forgetting a base message, then compacting, holds what a build without it holds', () => {
    const model = built(2, lines);
    const gone = [lines[3]!, lines[10]!, lines[20]!];
    for (const line of gone) expect(model.forget(line, true)).toBe(true);
    // Not in the base (any more, or ever): nothing changes.
    const unique = lines.filter((l) => lines.indexOf(l) === lines.lastIndexOf(l));
    expect(
      model.forget(
        gone.find((l) => unique.includes(l))!,
        true,
      ),
    ).toBe(false);
    expect(model.forget('penguins paint the moon', true)).toBe(false);
    expect(model.forget('the cat', true)).toBe(false);
    expect(model.pending).toBe(3);
    const rest = lines.filter((_, i) => ![3, 10, 20].includes(i));
    const expected = built(2, rest);
    expect(shape(model)).toEqual(shape(expected));
    const compacted = model.compact();
    expect(counts(compacted)).toEqual(counts(expected));
    expect(shape(compacted)).toEqual(shape(expected));
  });

  it('tracks the merged state count through any mix of learning and forgetting', () => {
    for (const k of [1, 2]) {
      const random = seededRandom(10 + k);
      const base = corpus(4, 30);
      const model = built(k, base);
      const inBase = [...base];
      const learnt: string[] = [];
      for (let step = 0; step < 60; step++) {
        const roll = random();
        if (roll < 0.4) {
          const line = corpus(100 + step, 1)[0]!;
          model.learn(line);
          learnt.push(line);
        } else if (roll < 0.7 && inBase.length > 0) {
          const [line] = inBase.splice(Math.floor(random() * inBase.length), 1);
          expect(model.forget(line!, true)).toBe(true);
        } else if (learnt.length > 0) {
          const [line] = learnt.splice(Math.floor(random() * learnt.length), 1);
          expect(model.forget(line!, false)).toBe(true);
        }
        if (step % 10 === 9) expect(shape(model)).toEqual(shape(model.compact()));
      }
      expect(counts(model.compact())).toEqual(counts(built(k, [...inBase, ...learnt])));
    }
  });

  it('keeps the verbatim guard in step: a learnt message is refused after encode/decode, not after forget', () => {
    const message = 'penguins quietly juggle seven frozen herrings behind the lighthouse';
    const model = built(2, lines);
    model.learn(message);
    const decoded = ScopeModel.decode(model.encode());
    expect(decoded.guard.isVerbatim(wordIds(decoded, message))).toBe(true);
    const messages = decoded.guard.messages;
    // It is in the decoded model's base now.
    expect(decoded.forget(message, true)).toBe(true);
    expect(decoded.guard.messages).toBe(messages - 1);
    expect(decoded.guard.isVerbatim(wordIds(decoded, message))).toBe(false);
    const reloaded = ScopeModel.decode(decoded.encode());
    expect(reloaded.guard.isVerbatim(wordIds(reloaded, message))).toBe(false);
    expect(reloaded.guard.isVerbatim(wordIds(reloaded, lines[5]!))).toBe(true);
  });

  it('replies from the base and from the changes since', () => {
    const model = built(2, lines);
    const training = new Set(lines);
    let ok = 0;
    const random = seededRandom(7);
    for (let i = 0; i < 20; i++) {
      const outcome = model.reply({ ...replyOptions, random });
      if (!outcome.ok) continue;
      ok++;
      expect(training.has(outcome.text)).toBe(false);
    }
    expect(ok).toBeGreaterThan(10);
    const seeded = model.reply({ ...replyOptions, keywords: ['robot'], random });
    expect(seeded).toMatchObject({ ok: true, seeded: true });

    model.learn('penguins like cold coffee and the red ball');
    model.learn('penguins hate every song about the moon');
    const fresh = model.reply({ ...replyOptions, keywords: ['penguins'], random });
    expect(fresh).toMatchObject({ ok: true, seeded: true });
    if (fresh.ok) expect(fresh.text.toLowerCase()).toContain('penguins');
    expect(ScopeModel.empty(2).reply({ ...replyOptions, random })).toMatchObject({
      ok: false,
      reason: 'empty chain',
    });
  });

  it('counts pending changes and estimates the bytes they hold', () => {
    const model = built(2, lines);
    expect(model.pending).toBe(0);
    const base = model.bytes;
    // Chain, guard, and the word ids' estimate.
    expect(base - model.stats.chainBytes - model.stats.guardBytes).toBeGreaterThan(0);
    const more = corpus(9, 30);
    for (const line of more) model.learn(line);
    expect(model.forget(lines[0]!, true)).toBe(true);
    expect(model.pending).toBe(31);
    expect(model.stats.pending).toBe(31);
    const grown = model.bytes;
    expect(grown).toBeGreaterThan(base);
    const compacted = model.compact();
    expect(compacted.pending).toBe(0);
    expect(compacted.bytes).toBeLessThan(grown);
    expect(ScopeModel.empty(3).bytes).toBeGreaterThan(0);
    expect(ScopeModel.empty(3).stats).toMatchObject({
      stateSize: 3,
      messages: 0,
      forwardStates: 0,
      pending: 0,
    });
  });
});
