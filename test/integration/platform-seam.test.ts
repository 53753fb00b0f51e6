// The seam between the fleet and a chat platform: a started platform's inbound messages reach the engine, its
// sender gets the replies for its platform, its activity sees a reply stream in, and a platform that fails to
// start leaves the rest of the fleet running.
import { afterEach, describe, expect, it } from 'vitest';
import type { Generator } from '../../bots/generation/index.js';
import type { OutboxRow } from '../../store/index.js';
import type { PlatformContext, PlatformStarter } from '../../bots/platform.js';
import { dmChannel } from '../../core/message.js';
import { post, startTestFleet, tempDir, testConfig, waitFor } from '../support/test-fleet.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Streams its reply in three steps before answering. */
const streamingGenerator: Generator = {
  name: 'streaming',
  async generate(request) {
    for (const text of ['Ahoy', 'Ahoy there', 'Ahoy there, sailor']) request.onPartial?.(text);
    return { text: 'Ahoy there, sailor.', source: 'llm', generator: 'streaming' };
  },
};

function recordingPlatform() {
  const sent: OutboxRow[] = [];
  const activity: string[] = [];
  let context: PlatformContext | undefined;
  const start: PlatformStarter = async (c) => {
    context = c;
    return {
      platform: 'signal',
      sender: {
        async send(row) {
          sent.push(row);
          return `sent-${row.id}`;
        },
      },
      activity: {
        begin(entity, message) {
          activity.push(`begin ${entity.id} #${message.id}`);
          return {
            update: (text) => activity.push(`update ${text}`),
            end: () => activity.push('end'),
          };
        },
      },
      stop: async () => undefined,
    };
  };
  return { start, sent, activity, context: () => context! };
}

async function fleetWith(platforms: PlatformStarter[], generators: Generator[]) {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const config = testConfig({
    entities: [{ id: 'alpha', username: 'Alpha', responseChance: 0, platforms: { signal: { dms: true } } }],
  });
  const fleet = await startTestFleet(dir.path, config, { generators, platforms });
  cleanups.push(() => fleet.stop());
  return fleet;
}

describe('the platform seam', () => {
  it('GIVEN a platform message THEN the engine answers through that platform, showing the reply as it streams', async () => {
    const platform = recordingPlatform();
    const fleet = await fleetWith([platform.start], [streamingGenerator]);
    expect(fleet.platforms.map((p) => p.platform)).toEqual(['signal']);
    const context = platform.context();
    const { id } = context.store.inbox.insert({
      platform: 'signal',
      channel: dmChannel('alpha', 'person-1'),
      platformId: 'person-1:1:1000',
      author: 'Dana',
      authorId: 'person-1',
      isBot: false,
      mentions: [],
      text: 'hello',
      createdAt: Date.now(),
    });
    context.wakeEngine();
    const [row] = await waitFor(
      () => platform.sent,
      (s) => s.length > 0,
    );
    expect(row).toMatchObject({ messageId: id, entityId: 'alpha', text: 'Ahoy there, sailor.', part: 0 });
    expect(platform.activity).toEqual([
      `begin alpha #${id}`,
      'update Ahoy',
      'update Ahoy there',
      'update Ahoy there, sailor',
      'end',
    ]);
  });

  it('GIVEN a platform that fails to start THEN the fleet runs without it and the playground still answers', async () => {
    const failing: PlatformStarter = async () => {
      throw new Error('no such server');
    };
    const fleet = await fleetWith(
      [failing],
      [{ name: 'echo', generate: async () => ({ text: 'hi', source: 'llm', generator: 'echo' }) }],
    );
    expect(fleet.platforms).toEqual([]);
    await post(fleet.url, 'general', 'dana', 'hello Alpha');
    const res = await waitFor(
      async () =>
        (await fetch(`${fleet.url}/api/channels/general/messages`).then((r) => r.json())) as {
          messages: unknown[];
        },
      (r) => r.messages.length === 2,
    );
    expect(res.messages).toHaveLength(2);
  });
});
