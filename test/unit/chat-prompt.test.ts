import { describe, expect, it } from 'vitest';
import { chatPrompt, entityModel } from '../../bots/generation/chat-prompt.js';
import type { StoredMessage } from '../../core/message.js';
import { validateConfig } from '../../entities/config/index.js';

const entity = (extra: Record<string, unknown> = {}) =>
  validateConfig({ entities: [{ id: 'sage', username: 'Sage', ...extra }] }, 'test').config.entities[0]!;

const said = (id: number, author: string, text: string): StoredMessage => ({
  id,
  platform: 'web',
  channel: 'general',
  platformId: `p${id}`,
  author,
  authorId: author,
  isBot: false,
  mentions: [],
  text,
  createdAt: 0,
});

describe('entityModel', () => {
  it('GIVEN a default quantization THEN its model path', () => {
    const quantizations = { f16: { modelPath: 'sage@f16' }, q8_0: { modelPath: 'sage@q8_0' } };
    expect(entityModel(entity({ baseModel: 'sage', quantizations, defaultQuantization: 'q8_0' }))).toBe(
      'sage@q8_0',
    );
  });

  it('GIVEN the default quantization disabled THEN the first enabled one, else the base model', () => {
    const quantizations = { f16: { modelPath: 'sage@f16', enabled: false }, q8: { modelPath: 'sage@q8' } };
    expect(entityModel(entity({ quantizations, defaultQuantization: 'f16' }))).toBe('sage@q8');
    expect(entityModel(entity({ baseModel: 'sage' }))).toBe('sage');
    expect(entityModel(entity())).toBeUndefined();
  });
});

describe('chatPrompt', () => {
  it('GIVEN a system and a user prompt THEN the system turn, then the user prompt with the conversation by author', () => {
    const e = entity({ systemPrompt: 'You are Sage.', userPrompt: 'Continue:\n\n' });
    expect(
      chatPrompt(e, [said(1, 'ivy', 'hello'), said(2, 'Sage', 'hi Ivy')], said(3, 'ivy', 'how are you?')),
    ).toEqual([
      { role: 'system', content: 'You are Sage.' },
      { role: 'user', content: 'Continue:\n\nivy: hello\nSage: hi Ivy\nivy: how are you?' },
    ]);
  });

  it('GIVEN no usernames, no newlines and no system prompt THEN one user turn of bare texts', () => {
    const e = entity({ addEntityUsername: false, addNewlineToContext: false });
    expect(chatPrompt(e, [said(1, 'ivy', 'hello')], said(2, 'ivy', 'again'))).toEqual([
      { role: 'user', content: 'hello again' },
    ]);
  });
});
