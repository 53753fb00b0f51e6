// Quality on real chat: the Ubuntu IRC corpus in ../shared/corpus (skipped with a message when absent).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { keywords } from '../../bots/analyzer/index.js';
import { ChainBuilder } from '../../markov/chain-builder.js';
import { ScopeModel } from '../../markov/scope-model.js';

const CORPUS = new URL('../../../shared/corpus/ubuntu-irc.tsv', import.meta.url).pathname;
const present = existsSync(CORPUS);
if (!present) process.stderr.write(`markov corpus tests skipped: ${CORPUS} is absent\n`);

describe.runIf(present)('Markov replies on the Ubuntu IRC corpus', () => {
  // A 40,000-message slice here (the full corpus is the benchmark's job), as the fleet holds a scope: a snapshot
  // built from the first 30,000 and the last 10,000 learnt since.
  const lines = present ? readFileSync(CORPUS, 'utf8').split('\n').slice(0, 40_000) : [];
  const texts = lines.map((l) => l.split('\t')[3] ?? '').filter((t) => t.trim());
  const builder = new ChainBuilder(2);
  for (const text of texts.slice(0, 30_000)) builder.add(text);
  const model = ScopeModel.fromBuilt(builder.build());
  for (const text of texts.slice(30_000)) model.learn(text);
  const random = seededRandom(2026);

  it('at least 95% of seeded attempts give a reply within 20 tries, never repeating training text', () => {
    const training = new Set(texts.map((t) => t.trim()));
    let seeded = 0;
    let ok = 0;
    for (let i = 0; seeded < 400; i++) {
      const prompt = texts[(i * 7919) % texts.length]!;
      const outcome = model.reply({
        keywords: keywords(prompt),
        random,
        minWords: 3,
        maxWords: 40,
        maxTries: 20,
      });
      if (!outcome.seeded) continue;
      seeded++;
      if (!outcome.ok) continue;
      ok++;
      expect(training.has(outcome.text)).toBe(false);
    }
    expect(ok / seeded).toBeGreaterThanOrEqual(0.95);
  });
});
