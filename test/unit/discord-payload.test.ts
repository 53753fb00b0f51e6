// The small rules every Discord post follows: nonces, the length limit, webhook usernames, client options,
// and the inbox lookups the adapter relies on for edits and deletions.
import { GatewayIntentBits, IntentsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { entityClientOptions } from '../../bots/discord/client-options.js';
import { DISCORD_MESSAGE_LIMIT, NO_PINGS, fitMessage, replyNonce } from '../../bots/discord/reply-payload.js';
import { webhookUsername } from '../../bots/discord/webhook-personas.js';
import { openDatabase } from '../../store/database.js';
import { InboxRepository } from '../../store/index.js';

describe('Discord payload rules', () => {
  it('GIVEN an outbox row THEN its nonce is stable, at most 25 characters, and differs between rows and texts', () => {
    const row = { id: 123_456_789, text: 'hello' };
    expect(replyNonce(row)).toBe(replyNonce({ ...row }));
    expect(replyNonce(row).length).toBeLessThanOrEqual(25);
    expect(replyNonce({ id: Number.MAX_SAFE_INTEGER, text: 'x' }).length).toBeLessThanOrEqual(25);
    expect(replyNonce(row)).not.toBe(replyNonce({ ...row, id: 123_456_790 }));
    expect(replyNonce(row)).not.toBe(replyNonce({ ...row, text: 'hello!' }));
  });

  it('GIVEN a text over the limit THEN it is cut to 2,000 characters; a short one is unchanged', () => {
    expect(fitMessage('short')).toBe('short');
    expect(fitMessage('y'.repeat(5000))).toHaveLength(DISCORD_MESSAGE_LIMIT);
  });

  it('GIVEN persona names Discord refuses THEN webhook usernames are made acceptable', () => {
    expect(webhookUsername('Luna')).toBe('Luna');
    expect(webhookUsername('Discord Dave')).not.toMatch(/discord/i);
    expect(webhookUsername('clyde')).not.toMatch(/clyde/i);
    expect(webhookUsername('x'.repeat(100))).toHaveLength(80);
    expect(webhookUsername('Q').length).toBe(2);
  });

  it('GIVEN an entity THEN its client asks for the needed intents only, pings nobody and uses the configured REST base', () => {
    const plain = entityClientOptions({ restBaseUrl: 'http://127.0.0.1:1/api', dms: false });
    const intents = new IntentsBitField(plain.intents);
    expect(intents.has(GatewayIntentBits.MessageContent)).toBe(true);
    expect(intents.has(GatewayIntentBits.GuildMessages)).toBe(true);
    expect(intents.has(GatewayIntentBits.DirectMessages)).toBe(false);
    expect(intents.has(GatewayIntentBits.GuildMembers)).toBe(false);
    expect(intents.has(GatewayIntentBits.GuildPresences)).toBe(false);
    expect(plain.allowedMentions).toEqual(NO_PINGS);
    expect(NO_PINGS).toEqual({ parse: [], repliedUser: false });
    expect(plain.rest?.api).toBe('http://127.0.0.1:1/api');
    const dms = entityClientOptions({ restBaseUrl: 'http://127.0.0.1:1/api', dms: true });
    expect(new IntentsBitField(dms.intents).has(GatewayIntentBits.DirectMessages)).toBe(true);
  });

  it('GIVEN a stored Discord message THEN it is found by its platform id and its text can be replaced', () => {
    const db = openDatabase(':memory:');
    try {
      const inbox = new InboxRepository(db);
      const { id } = inbox.insert({
        platform: 'discord',
        channel: '100',
        platformId: '777',
        author: 'erin',
        authorId: '2',
        isBot: false,
        mentions: [],
        text: 'before',
        createdAt: 1,
      });
      expect(inbox.byPlatformId('discord', '777')?.id).toBe(id);
      expect(inbox.byPlatformId('web', '777')).toBeUndefined();
      expect(inbox.updateText(id, 'after')).toBe(true);
      expect(inbox.get(id)?.text).toBe('after');
      expect(inbox.updateText(id + 1, 'nothing')).toBe(false);
    } finally {
      db.close();
    }
  });
});
