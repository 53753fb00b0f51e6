// Plausible replies without model weights: a small deterministic word generator seeded per request, which
// borrows a few words of the prompt. A "token" here is a word (with its leading space) or a punctuation
// mark, so usage counts match what is streamed, one token per SSE delta.
import { seededRandom, type Random } from '../../core/random.js';

export interface GeneratedText {
  tokens: string[];
  text: string;
  /** `length` when `maxTokens` cut the reply short. */
  finishReason: 'stop' | 'length';
}

const OPENERS = ['I think', 'Honestly,', 'Well,', 'You know,', 'Maybe', 'To be fair,', 'Hmm,', 'Right,'];
const SUBJECTS = ['the idea', 'this', 'that question', 'the whole thing', 'a good story', 'the answer', 'it'];
const VERBS = ['depends on', 'comes down to', 'reminds me of', 'is really about', 'starts with', 'needs'];
const OBJECTS = [
  'a little patience',
  'the people involved',
  'what you want from it',
  'a cup of tea',
  'the weather today',
  'how you look at it',
  'a fresh start',
  'the small details',
  'an old song',
  'good timing',
];
const TAILS = ['', '', ' for sure', ' in the end', ' most days', ' if I am honest', ' more than it seems'];
const ENDINGS = ['.', '.', '.', '!'];
const TOPIC_LEADS = ['what you said about', 'all this talk of', 'the question of'];
const NOT_TOPICS = new Set([
  'about',
  'there',
  'their',
  'think',
  'would',
  'could',
  'should',
  'which',
  'where',
  'hello',
]);

const TOKEN = /[A-Za-z0-9']+|[^\sA-Za-z0-9']/g;

/** Counts tokens the way the generator makes them: words and single punctuation marks. */
export function countTokens(text: string): number {
  return text.match(TOKEN)?.length ?? 0;
}

/** Splits text into streamable tokens: each word keeps the space before it. */
export function tokenize(text: string): string[] {
  return text.match(/\s*(?:[A-Za-z0-9']+|[^\sA-Za-z0-9'])/g) ?? [];
}

/** FNV-1a over the text: the per-request seed when the client sends none. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Longer words of the prompt's end, to echo a topic back. */
function topicWords(prompt: string): string[] {
  const words = (prompt.match(/[A-Za-z']{5,}/g) ?? []).filter((w) => !NOT_TOPICS.has(w.toLowerCase()));
  return [...new Set(words)].slice(-6);
}

function sentence(random: Random, topics: readonly string[]): string {
  const object =
    topics.length > 0 && random() < 0.4
      ? `${pick(random, TOPIC_LEADS)} ${pick(random, topics)}`
      : pick(random, OBJECTS);
  const body = `${pick(random, OPENERS)} ${pick(random, SUBJECTS)} ${pick(random, VERBS)} ${object}`;
  return `${body}${pick(random, TAILS)}${pick(random, ENDINGS)}`;
}

/** One to three sentences, the same for the same seed and prompt; at most `maxTokens` tokens when given. */
export function generateReply(seed: number, prompt: string, maxTokens: number | null): GeneratedText {
  const random = seededRandom(seed);
  const topics = topicWords(prompt);
  const count = 1 + Math.floor(random() * 3);
  const text = Array.from({ length: count }, () => sentence(random, topics)).join(' ');
  const all = tokenize(text);
  if (maxTokens !== null && all.length > maxTokens) {
    const tokens = all.slice(0, maxTokens);
    return { tokens, text: tokens.join(''), finishReason: 'length' };
  }
  return { tokens: all, text, finishReason: 'stop' };
}

/** A deterministic unit vector for a text, standing in for an embedding. */
export function embedText(text: string, dimensions: number): number[] {
  const random = seededRandom(seedFrom(text));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}
