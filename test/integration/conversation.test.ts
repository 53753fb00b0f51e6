// Conversation rules end to end: the bot-to-bot cap, and the plain "no generator" reply.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { MarkovScopes } from '../../markov/markov-scopes.js';
import { ChorusStore } from '../../store/index.js';
import {
  SAILOR_LINES,
  allMessages,
  post,
  startTestFleet,
  tempDir,
  testConfig,
  waitFor,
} from '../support/test-fleet.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('conversations in the playground', () => {
  it('GIVEN two chatty entities THEN their exchange stops at maxBotExchanges after a human message', async () => {
    const dir = tempDir();
    const config = testConfig({
      botSettings: { pollingInterval: 100, maxRepliesPerMessage: 1, maxBotExchanges: 3 },
      entities: [
        { id: 'alpha', username: 'Alpha', responseChance: 1 },
        { id: 'beta', username: 'Beta', responseChance: 1 },
      ],
    });
    const fleet = await startTestFleet(dir.path, config);
    cleanups.push(
      () => dir.remove(),
      () => fleet.stop(),
    );
    await post(fleet.url, 'general', 'erin', 'hello both');
    // One reply to the human, then 3 bot-to-bot exchanges: 4 bot messages, then silence.
    await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => m.length >= 5,
    );
    await new Promise((r) => setTimeout(r, 400));
    await fleet.engine.idle();
    const messages = await allMessages(fleet.url, 'general');
    expect(messages.filter((m) => m.entity)).toHaveLength(4);
    const authors = messages.slice(1).map((m) => m.entity);
    for (let i = 1; i < authors.length; i++) expect(authors[i]).not.toBe(authors[i - 1]);
  });

  it('says plainly that no generator is available when the Markov fallback is disabled and no LLM is set', async () => {
    const dir = tempDir();
    const fleet = await startTestFleet(dir.path, testConfig({ markovSettings: { enabled: false } }), {});
    cleanups.push(
      () => dir.remove(),
      () => fleet.stop(),
    );
    const id = await post(fleet.url, 'general', 'finn', '@Alpha hi');
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => m.some((x) => x.entity),
    );
    const reply = messages.find((m) => m.entity)!;
    expect(reply).toMatchObject({ entity: 'alpha', source: 'none', replyTo: id });
    expect(reply.text).toMatch(/no generator available/);
  });

  it("answers from the Markov fallback in the entity's voice when no LLM is configured", async () => {
    const dir = tempDir();
    const seedText = SAILOR_LINES.slice(0, 6);
    const config = testConfig({
      entities: [
        { id: 'alpha', username: 'Alpha', responseChance: 0, markov: { scope: 'entity', seedText } },
      ],
    });
    const fleet = await startTestFleet(dir.path, config, {});
    cleanups.push(
      () => dir.remove(),
      () => fleet.stop(),
    );
    const id = await post(fleet.url, 'general', 'gina', '@Alpha how was the sea today?');
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => m.some((x) => x.entity),
    );
    const reply = messages.find((m) => m.entity)!;
    expect(reply).toMatchObject({ entity: 'alpha', source: 'markov', replyTo: id });
    expect(reply.text.split(/\s+/).length).toBeGreaterThanOrEqual(3);
    expect(seedText).not.toContain(reply.text);
  });
});

describe('Markov scopes across a restart', () => {
  it('GIVEN an entity-scoped persona learnt from its channel THEN it still knows those words after a restart', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const config = testConfig({
      entities: [
        {
          id: 'alpha',
          username: 'Alpha',
          responseChance: 0,
          markov: {
            scope: 'entity',
            seedText: ['the harbour was quiet this morning', 'we sailed home before the rain'],
          },
        },
      ],
    });
    const first = await startTestFleet(dir.path, config, {});
    await post(first.url, 'general', 'ivy', 'I saw a quokka at the beach today with my sister');
    await post(first.url, 'general', 'ivy', 'my sister loves the beach and the warm sun today');
    await first.engine.idle();
    await first.stop();

    const second = await startTestFleet(dir.path, config, { random: seededRandom(4) });
    cleanups.push(() => second.stop());
    const id = await post(second.url, 'general', 'ivy', '@Alpha quokka');
    const messages = await waitFor(
      () => allMessages(second.url, 'general'),
      (m) => m.some((x) => x.replyTo === id),
    );
    expect(messages.find((m) => m.replyTo === id)?.text.toLowerCase()).toContain('quokka');
  });
});

describe('a named Markov scope', () => {
  it('GIVEN a scope trained before the fleet starts THEN an entity naming it answers from it', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const store = ChorusStore.open(join(dir.path, 'data'));
    const lore = [
      'the lighthouse keeper counted every ship that passed the northern rocks',
      'a lighthouse needs oil, patience and a keeper who never sleeps through a storm',
      'sailors trusted the lighthouse more than any chart they carried',
      'the old lighthouse on the northern rocks was painted red and white',
      'every keeper wrote the weather in a book beside the lighthouse lamp',
      'fog rolled over the rocks and the lighthouse horn sounded all night',
    ];
    new MarkovScopes(store.markov, systemClock).add(
      'lore',
      2,
      lore.map((text, i) => ({ source: `lore:${i}`, text })),
    );
    await store.close();
    const config = testConfig({
      entities: [{ id: 'alpha', username: 'Alpha', responseChance: 0, markov: { scope: 'lore' } }],
      markovSettings: { trainOnMessages: false },
    });
    const fleet = await startTestFleet(dir.path, config, { random: seededRandom(9) });
    cleanups.push(() => fleet.stop());
    const id = await post(fleet.url, 'general', 'ivy', '@Alpha tell me about the lighthouse');
    const messages = await waitFor(
      () => allMessages(fleet.url, 'general'),
      (m) => m.some((x) => x.replyTo === id),
    );
    const reply = messages.find((m) => m.replyTo === id)!;
    expect(reply).toMatchObject({ entity: 'alpha', source: 'markov' });
    expect(reply.text.toLowerCase()).toContain('lighthouse');
  });
});
