// The simulator's reply generator: deterministic per seed, token counts that match what is streamed,
// max_tokens honoured, and embeddings that are stable unit vectors.
import { describe, expect, it } from 'vitest';
import {
  countTokens,
  embedText,
  generateReply,
  seedFrom,
  tokenize,
} from '../../cluster/simulator/text-generator.js';

describe('generateReply', () => {
  it('gives the same reply for the same seed and prompt, and different replies for other seeds', () => {
    const a = generateReply(42, 'Tell me about gardens', null);
    expect(generateReply(42, 'Tell me about gardens', null)).toEqual(a);
    const others = new Set([1, 2, 3, 4, 5].map((s) => generateReply(s, 'Tell me about gardens', null).text));
    expect(others.size).toBeGreaterThan(3);
  });

  it('makes sentences whose tokens join to the text and count as countTokens counts', () => {
    for (let seed = 0; seed < 50; seed++) {
      const reply = generateReply(seed, 'What about the harbour at night?', null);
      expect(reply.tokens.join('')).toBe(reply.text);
      expect(countTokens(reply.text)).toBe(reply.tokens.length);
      expect(reply.text).toMatch(/^[A-Z][^]*[.!]$/);
      expect(reply.finishReason).toBe('stop');
    }
  });

  it('stops at maxTokens with finish reason "length"', () => {
    const reply = generateReply(9, 'hi', 4);
    expect(reply.tokens).toHaveLength(4);
    expect(reply.finishReason).toBe('length');
  });

  it('tokenizes words with their leading space and punctuation on its own', () => {
    expect(tokenize('Well, it is.')).toEqual(['Well', ',', ' it', ' is', '.']);
    expect(countTokens('Well, it is.')).toBe(5);
  });
});

describe('seedFrom and embedText', () => {
  it('hashes text to a 32-bit seed', () => {
    expect(seedFrom('a')).toBe(seedFrom('a'));
    expect(seedFrom('a')).not.toBe(seedFrom('b'));
    expect(seedFrom('abc')).toBeLessThan(2 ** 32);
  });

  it('embeds text as a stable unit vector', () => {
    const v = embedText('hello', 64);
    expect(v).toHaveLength(64);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(embedText('hello', 64)).toEqual(v);
    expect(embedText('other', 64)).not.toEqual(v);
  });
});
