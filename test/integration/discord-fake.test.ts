// The fake Discord driven by the real discord.js v14 Client: login (READY + GUILD_CREATE), messages both ways,
// slash command interactions, DMs, edits and deletes, history, validation errors, nonces, the MESSAGE_CONTENT
// intent, 429s, dropped connections with RESUME, revoked tokens, webhooks and heartbeats.
import {
  ChannelType,
  Client,
  DiscordAPIError,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  Routes,
  WebhookClient,
  type ClientOptions,
  type Message,
} from 'discord.js';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/discord/index.js';

const TOKEN_A = 'token-alpha';
const TOKEN_B = 'token-beta';
const alice = { id: '100000000000000001', username: 'alice' };

const running: { close(): Promise<void> }[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function fake(overrides: Partial<FakeDiscordOptions> = {}): Promise<FakeDiscord> {
  const discord = await startFakeDiscord({
    bots: [
      { token: TOKEN_A, username: 'Alpha' },
      { token: TOKEN_B, username: 'Beta' },
    ],
    guilds: [
      {
        name: 'Home',
        channels: [{ name: 'general' }, { name: 'random' }, { name: 'ideas', parent: 'general' }],
      },
    ],
    ...overrides,
  });
  running.push(discord);
  return discord;
}

const ALL_INTENTS =
  GatewayIntentBits.Guilds |
  GatewayIntentBits.GuildMessages |
  GatewayIntentBits.DirectMessages |
  GatewayIntentBits.MessageContent;

async function login(
  discord: FakeDiscord,
  token: string,
  options: Partial<ClientOptions> = {},
): Promise<Client> {
  const client = new Client({
    intents: ALL_INTENTS,
    rest: { api: discord.restUrl },
    allowedMentions: { parse: [], repliedUser: false },
    ...options,
  });
  clients.push(client);
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(token);
  await ready;
  return client;
}

/** Polls a condition every 10 ms; rejects after 5 s. */
async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function nextMessage(client: Client, filter: (m: Message) => boolean = () => true): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (m: Message) => {
      if (!filter(m)) return;
      client.off('messageCreate', listener);
      resolve(m);
    };
    client.on('messageCreate', listener);
  });
}

describe('the fake Discord with a real discord.js Client', () => {
  it('GIVEN a bot token THEN discord.js logs in and caches the guild, its channels, the thread and itself', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const guild = client.guilds.cache.get(discord.guildId('Home'));
    expect(client.user?.id).toBe(discord.bot(TOKEN_A).userId);
    expect(client.user?.username).toBe('Alpha');
    expect(client.application?.id).toBe(discord.bot(TOKEN_A).applicationId);
    expect(guild?.name).toBe('Home');
    expect(guild?.channels.cache.get(discord.channelId('general'))?.name).toBe('general');
    const thread = guild?.channels.cache.get(discord.channelId('ideas'));
    expect(thread?.isThread() && thread.parentId).toBe(discord.channelId('general'));
    expect(guild?.members.cache.has(client.user?.id ?? '')).toBe(true);
    expect(guild?.roles.everyone.id).toBe(guild?.id);
    expect(discord.identifies(TOKEN_A)).toBe(1);
    expect(discord.connected(TOKEN_A)).toBe(true);
    expect(discord.requests[0]).toMatchObject({
      method: 'GET',
      path: '/gateway/bot',
      token: TOKEN_A,
      status: 200,
    });
  });

  it('GIVEN a person posts mentioning the bot THEN the bot receives it, types, replies and edits its reply', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const received = nextMessage(client);
    const posted = discord.post(general, alice, `hi <@${discord.bot(TOKEN_A).userId}>`);
    const message = await received;
    expect(message.id).toBe(posted.id);
    expect(message.content).toBe(posted.content);
    expect(message.author.username).toBe('alice');
    expect(message.mentions.has(client.user!)).toBe(true);
    expect(message.createdTimestamp).toBe(Date.parse(posted.timestamp));

    if (!message.channel.isSendable()) throw new Error('general is not sendable');
    await message.channel.sendTyping();
    const reply = await message.reply('hello alice');
    await reply.edit('hello alice, edited');

    const stored = discord.messages(general);
    expect(stored.map((m) => m.content)).toEqual([posted.content, 'hello alice, edited']);
    expect(stored[1]).toMatchObject({
      id: reply.id,
      author: { id: client.user!.id, bot: true },
      message_reference: { message_id: posted.id },
      allowed_mentions: { parse: [], replied_user: false },
      mentions: [],
    });
    expect(stored[1]?.edited_timestamp).not.toBeNull();
    expect(discord.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
      expect.arrayContaining([
        `POST /channels/${general}/typing 204`,
        `POST /channels/${general}/messages 200`,
        `PATCH /channels/${general}/messages/${reply.id} 200`,
      ]),
    );
  });

  it("GIVEN two bots in a guild THEN each bot's post reaches both of them", async () => {
    const discord = await fake();
    const alpha = await login(discord, TOKEN_A);
    const beta = await login(discord, TOKEN_B);
    const atAlpha = nextMessage(alpha);
    const atBeta = nextMessage(beta);
    const channel = alpha.channels.cache.get(discord.channelId('random'));
    if (!channel?.isSendable()) throw new Error('random is not sendable');
    const sent = await channel.send('from alpha');
    expect((await atAlpha).id).toBe(sent.id);
    expect((await atBeta).author.id).toBe(alpha.user!.id);
    await expect(discord.waitFor((m) => m.content === 'from alpha')).resolves.toHaveLength(1);
  });

  it('GIVEN a slash command THEN deferReply (ephemeral) and editReply reach the fake, with no visible channel message', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    client.on('interactionCreate', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const sub = interaction.options.getSubcommand();
      const name = interaction.options.getString('name');
      await interaction.editReply(`${sub} ${name} by ${interaction.user.username}`);
    });
    const general = discord.channelId('general');
    const invocation = discord.interact(TOKEN_A, {
      channelId: general,
      user: alice,
      permissions: '8',
      name: 'chorus',
      options: [{ type: 1, name: 'mute', options: [{ type: 3, name: 'name', value: 'luna' }] }],
    });
    await expect(invocation.waitForResponse()).resolves.toBe('mute luna by alice');
    expect(invocation.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(invocation.edits).toHaveLength(1);
    expect(discord.messages(general)).toEqual([]);
    const callback = discord.requests.find((r) => r.path.endsWith('/callback'));
    expect(callback).toMatchObject({ method: 'POST', token: undefined, status: 204 });
  });

  it('GIVEN a guild command registration THEN the bulk PUT returns commands with ids and commands() lists them', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const guildId = discord.guildId('Home');
    const appId = discord.bot(TOKEN_A).applicationId;
    const guild = client.guilds.cache.get(guildId)!;
    const set = await guild.commands.set([
      { name: 'chorus', description: 'Manage the fleet', defaultMemberPermissions: '0' },
    ]);
    expect([...set.values()].map((c) => c.name)).toEqual(['chorus']);
    const registered = discord.commands(appId, guildId);
    expect(registered).toMatchObject([
      { name: 'chorus', application_id: appId, guild_id: guildId, default_member_permissions: '0' },
    ]);
    // A second overwrite keeps the id of a command with the same name.
    const again = await guild.commands.set([{ name: 'chorus', description: 'Manage the fleet' }]);
    expect(again.first()?.id).toBe((registered[0] as { id: string }).id);
  });

  it('GIVEN Partials.Channel THEN a DM arrives, the bot answers in the DM channel, and no other bot sees it', async () => {
    const discord = await fake();
    const alpha = await login(discord, TOKEN_A, { partials: [Partials.Channel] });
    const beta = await login(discord, TOKEN_B, { partials: [Partials.Channel] });
    let betaSaw = 0;
    beta.on('messageCreate', () => betaSaw++);
    const received = nextMessage(alpha);
    const dm = discord.dm(TOKEN_A, alice, 'psst');
    const message = await received;
    expect(message.guildId).toBeNull();
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.channelId).toBe(discord.dmChannelId(TOKEN_A, alice));
    expect(dm.guild_id).toBeUndefined();
    await message.reply('hush');
    expect(discord.messages(dm.channel_id).map((m) => m.content)).toEqual(['psst', 'hush']);
    expect(betaSaw).toBe(0);
    // GET /channels/{id} works for the bot's own DM channel, and another bot gets 403 Missing Access.
    const fetched = await alpha.channels.fetch(dm.channel_id, { force: true });
    expect(fetched?.type).toBe(ChannelType.DM);
    await expect(beta.channels.fetch(dm.channel_id, { force: true })).rejects.toMatchObject({ code: 50001 });
  });

  it('GIVEN no Partials.Channel THEN a DM is dropped by discord.js until the DM channel is cached (createDM)', async () => {
    const discord = await fake({ users: [alice] });
    const client = await login(discord, TOKEN_A);
    let created = 0;
    client.on('messageCreate', () => created++);
    const raw = new Promise<void>((resolve) =>
      client.ws.once(GatewayDispatchEvents.MessageCreate, () => resolve()),
    );
    discord.dm(TOKEN_A, alice, 'first');
    await raw;
    await tick();
    expect(created).toBe(0);

    const channel = await client.users.createDM(alice.id);
    expect(channel.id).toBe(discord.dmChannelId(TOKEN_A, alice));
    expect(discord.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/users/@me/channels',
      body: { recipient_id: alice.id },
    });
    const received = nextMessage(client);
    discord.dm(TOKEN_A, alice, 'second');
    expect((await received).content).toBe('second');
  });

  it('GIVEN a person edits and deletes a message THEN the bot gets messageUpdate and messageDelete', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const received = nextMessage(client);
    const posted = discord.post(general, alice, 'tpyo');
    await received;
    const updated = new Promise<[string | null, string]>((resolve) =>
      client.once('messageUpdate', (before, after) => resolve([before.content, after.content])),
    );
    const raw = new Promise<Record<string, unknown>>((resolve) =>
      client.ws.once(GatewayDispatchEvents.MessageUpdate, resolve),
    );
    discord.edit(general, posted.id, 'typo');
    expect(await updated).toEqual(['tpyo', 'typo']);
    expect(await raw).toMatchObject({
      id: posted.id,
      guild_id: discord.guildId('Home'),
      content: 'typo',
      author: { id: alice.id },
    });
    const deleted = new Promise<string>((resolve) => client.once('messageDelete', (m) => resolve(m.id)));
    discord.delete(general, posted.id);
    expect(await deleted).toBe(posted.id);
    expect(discord.messages(general)[0]?.deleted).toBe(true);
    const channel = client.channels.cache.get(general);
    if (!channel?.isTextBased()) throw new Error('general is not text based');
    await expect(channel.messages.fetch({ message: posted.id, force: true })).rejects.toMatchObject({
      code: 10008,
      status: 404,
    });
  });

  it('GIVEN 120 messages THEN history pages come newest first, 100 at most, with before/after, and single fetches work', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const posted = Array.from({ length: 120 }, (_, i) => discord.post(general, alice, `m${i}`));
    const channel = client.channels.cache.get(general);
    if (!channel?.isTextBased()) throw new Error('general is not text based');
    const first = await channel.messages.fetch({ limit: 100 });
    expect(first.size).toBe(100);
    expect(first.first()?.content).toBe('m119');
    expect(first.last()?.content).toBe('m20');
    const older = await channel.messages.fetch({ limit: 100, before: first.last()!.id });
    expect([...older.values()].map((m) => m.content)).toEqual(
      Array.from({ length: 20 }, (_, i) => `m${19 - i}`),
    );
    const after = await channel.messages.fetch({ limit: 3, after: posted[10]!.id });
    expect([...after.values()].map((m) => m.content)).toEqual(['m13', 'm12', 'm11']);
    expect((await channel.messages.fetch({ message: posted[5]!.id, force: true })).content).toBe('m5');
    await expect(
      client.rest.get(Routes.channelMessages(general), { query: new URLSearchParams({ limit: '101' }) }),
    ).rejects.toMatchObject({
      code: 50035,
    });
  });

  it('GIVEN a thread THEN it is cached from GUILD_CREATE, listed as active, archived lists are empty, and messages flow', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const guild = client.guilds.cache.get(discord.guildId('Home'))!;
    const ideas = discord.channelId('ideas');
    const active = await guild.channels.fetchActiveThreads();
    expect([...active.threads.keys()]).toEqual([ideas]);
    const general = guild.channels.cache.get(discord.channelId('general'));
    if (general?.type !== ChannelType.GuildText) throw new Error('general is not a text channel');
    const archived = await general.threads.fetchArchived();
    expect(archived.threads.size).toBe(0);
    expect(archived.hasMore).toBe(false);
    const received = nextMessage(client);
    discord.post(ideas, alice, 'in the thread');
    const message = await received;
    expect(message.channel.isThread()).toBe(true);
    await message.reply('threaded reply');
    expect(discord.messages(ideas).map((m) => m.content)).toEqual(['in the thread', 'threaded reply']);
  });

  it('GIVEN invalid sends THEN discord.js rejects with Discord’s codes: 50035 too long, 50006 empty, 10003 unknown channel', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const tooLong = await channel.send('x'.repeat(2001)).catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(DiscordAPIError);
    expect(tooLong).toMatchObject({
      status: 400,
      code: 50035,
      rawError: {
        message: 'Invalid Form Body',
        errors: {
          content: {
            _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
          },
        },
      },
    });
    await expect(channel.send('x'.repeat(2000))).resolves.toBeDefined();
    await expect(
      client.rest.post(Routes.channelMessages(general), { body: { content: '' } }),
    ).rejects.toMatchObject({
      status: 400,
      code: 50006,
      rawError: { message: 'Cannot send an empty message' },
    });
    await expect(
      client.rest.post(Routes.channelMessages('999'), { body: { content: 'x' } }),
    ).rejects.toMatchObject({
      status: 404,
      code: 10003,
      rawError: { message: 'Unknown Channel' },
    });
    expect(discord.messages(general)).toHaveLength(1);
  });

  it('GIVEN enforce_nonce THEN a resend with the same nonce returns the first message and nobody sees a second one', async () => {
    const discord = await fake();
    const alpha = await login(discord, TOKEN_A);
    const beta = await login(discord, TOKEN_B);
    let betaSaw = 0;
    beta.on('messageCreate', () => betaSaw++);
    const general = discord.channelId('general');
    const channel = alpha.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const first = await channel.send({ content: 'once', nonce: 'row-42-part-0', enforceNonce: true });
    const second = await channel.send({ content: 'once', nonce: 'row-42-part-0', enforceNonce: true });
    expect(second.id).toBe(first.id);
    await until(() => betaSaw === 1);
    expect(discord.messages(general)).toHaveLength(1);
    expect(discord.messages(general)[0]).toMatchObject({ nonce: 'row-42-part-0' });
    // Without enforce_nonce Discord creates a second message.
    const third = await channel.send({ content: 'once', nonce: 'row-42-part-0' });
    expect(third.id).not.toBe(first.id);
  });

  it('GIVEN mentions THEN they come from the content, filtered by allowed_mentions, which the fake reports as sent', async () => {
    const discord = await fake({ users: [alice] });
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    await channel.send(`<@${alice.id}> @everyone look`);
    await channel.send({ content: `<@${alice.id}> again`, allowedMentions: { users: [alice.id] } });
    const [quiet, loud] = discord.messages(general);
    expect(quiet).toMatchObject({ mentions: [], mention_everyone: false, allowed_mentions: { parse: [] } });
    expect(loud).toMatchObject({ mentions: [{ id: alice.id }], allowed_mentions: { users: [alice.id] } });
    const person = discord.post(general, alice, `@everyone hey <@${discord.bot(TOKEN_A).userId}>`);
    expect(person.mention_everyone).toBe(true);
    expect(person.mentions).toMatchObject([{ id: discord.bot(TOKEN_A).userId, bot: true }]);
    expect(person.allowed_mentions).toBeUndefined();
  });

  it('GIVEN a bot without the MESSAGE_CONTENT intent THEN people’s guild messages arrive blank unless they mention it', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A, {
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages,
    });
    const general = discord.channelId('general');
    let received = nextMessage(client);
    discord.post(general, alice, 'secret', { embeds: [{ title: 'hidden' }] });
    const blank = await received;
    expect(blank.content).toBe('');
    expect(blank.embeds).toHaveLength(0);
    received = nextMessage(client);
    discord.post(general, alice, `hey <@${client.user!.id}>`);
    expect((await received).content).toBe(`hey <@${client.user!.id}>`);
    received = nextMessage(client);
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    await channel.send('my own words');
    expect((await received).content).toBe('my own words');
  });

  it('GIVEN a bot whose application lacks an intent THEN IDENTIFY asking for it closes with 4014 and login rejects', async () => {
    const discord = await fake({
      bots: [{ token: TOKEN_A, username: 'Alpha', disallowedIntents: GatewayIntentBits.MessageContent }],
    });
    const client = new Client({ intents: ALL_INTENTS, rest: { api: discord.restUrl } });
    clients.push(client);
    await expect(client.login(TOKEN_A)).rejects.toThrow(/disallowed intents/i);
  });

  it('GIVEN a 429 THEN discord.js waits retry_after, retries, and the message is created exactly once', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const limited: number[] = [];
    client.rest.on('rateLimited', (info) => limited.push(info.retryAfter));
    discord.rateLimit({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, 0.2);
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const sent = await channel.send('patience');
    expect(discord.messages(general).map((m) => m.id)).toEqual([sent.id]);
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toBeGreaterThanOrEqual(200);
  });

  it('GIVEN a dropped connection THEN discord.js resumes and gets what was posted meanwhile exactly once', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const seen: string[] = [];
    client.on('messageCreate', (m) => seen.push(m.content));
    const resumed = new Promise<void>((resolve) => client.once('shardResume', () => resolve()));
    discord.dropConnection(TOKEN_A);
    expect(discord.connected(TOKEN_A)).toBe(false);
    discord.post(general, alice, 'while you were away');
    await resumed;
    await until(() => seen.length > 0);
    discord.post(general, alice, 'welcome back');
    await until(() => seen.length > 1);
    expect(seen).toEqual(['while you were away', 'welcome back']);
    expect(discord.resumes(TOKEN_A)).toBe(1);
    expect(discord.identifies(TOKEN_A)).toBe(1);
    expect(discord.connected(TOKEN_A)).toBe(true);
  });

  it('GIVEN op 7 RECONNECT THEN discord.js resumes on the resume URL without identifying again', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const resumed = new Promise<void>((resolve) => client.once('shardResume', () => resolve()));
    discord.requestReconnect(TOKEN_A);
    await resumed;
    expect(discord.resumes(TOKEN_A)).toBe(1);
    expect(discord.identifies(TOKEN_A)).toBe(1);
    const received = nextMessage(client);
    discord.post(discord.channelId('general'), alice, 'still here');
    expect((await received).content).toBe('still here');
  });

  it('GIVEN a dropped connection whose session is gone THEN the RESUME gets op 9 and discord.js identifies again', async () => {
    const discord = await fake();
    // discord.js waits 5–6.5 s between identifies (SimpleIdentifyThrottler); a no-op throttler skips that here.
    const client = await login(discord, TOKEN_A, {
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    });
    discord.dropConnection(TOKEN_A, { invalidateSession: true });
    await until(() => discord.identifies(TOKEN_A) === 2 && discord.connected(TOKEN_A));
    expect(discord.resumes(TOKEN_A)).toBe(0);
    const received = nextMessage(client);
    discord.post(discord.channelId('general'), alice, 'fresh session');
    expect((await received).content).toBe('fresh session');
  });

  it('GIVEN a revoked token THEN REST answers 401, the gateway closes 4004, and a new login rejects with TokenInvalid', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const disconnected = new Promise<number>((resolve) =>
      client.once('shardDisconnect', (event) => resolve(event.code)),
    );
    discord.revoke(TOKEN_A);
    expect(await disconnected).toBe(4004);
    await expect(
      client.rest.post(Routes.channelMessages(general), { body: { content: 'x' } }),
    ).rejects.toMatchObject({
      status: 401,
      rawError: { message: '401: Unauthorized', code: 0 },
    });
    const again = new Client({ intents: ALL_INTENTS, rest: { api: discord.restUrl } });
    clients.push(again);
    await expect(again.login(TOKEN_A)).rejects.toMatchObject({ code: 'TokenInvalid' });
  });

  it('GIVEN a channel webhook THEN discord.js creates, lists and executes it and bots see a webhook message', async () => {
    const discord = await fake();
    const alpha = await login(discord, TOKEN_A);
    const beta = await login(discord, TOKEN_B);
    const general = discord.channelId('general');
    const channel = alpha.channels.cache.get(general);
    if (channel?.type !== ChannelType.GuildText) throw new Error('general is not a text channel');
    const hook = await channel.createWebhook({ name: 'Chorus' });
    expect(hook).toMatchObject({
      name: 'Chorus',
      channelId: general,
      applicationId: discord.bot(TOKEN_A).applicationId,
    });
    expect((await channel.fetchWebhooks()).map((w) => w.id)).toEqual([hook.id]);
    expect(discord.webhooks(general)).toMatchObject([{ id: hook.id, token: hook.token }]);

    const atBeta = nextMessage(beta);
    const webhookClient = new WebhookClient(
      { id: hook.id, token: hook.token! },
      { rest: { api: discord.restUrl } },
    );
    const sent = await webhookClient.send({
      content: 'as Luna',
      username: 'Luna',
      allowedMentions: { parse: [] },
    });
    const seen = await atBeta;
    expect(seen.webhookId).toBe(hook.id);
    expect(seen.author).toMatchObject({ id: hook.id, username: 'Luna', bot: true });
    expect(discord.messages(general)).toMatchObject([
      { id: sent.id, webhook_id: hook.id, author: { username: 'Luna' } },
    ]);
    const execute = discord.requests.find((r) => r.path === `/webhooks/${hook.id}/${hook.token}`);
    expect(execute).toMatchObject({ token: undefined, query: { wait: 'true' }, status: 200 });
    webhookClient.destroy();
  });

  it('GIVEN a public reply and a follow-up THEN both land in the channel and a second ack is refused with 40060', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const errors: unknown[] = [];
    const answered = nextMessage(client, (m) => m.content === 'public answer');
    client.on('interactionCreate', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply('public answer');
      await interaction.followUp({ content: 'and a secret', flags: MessageFlags.Ephemeral });
      await interaction.followUp('and more');
      await client.rest
        .post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: 4, data: { content: 'again' } },
          auth: false,
        })
        .catch((e: unknown) => errors.push(e));
    });
    const general = discord.channelId('general');
    const invocation = discord.interact(TOKEN_A, { channelId: general, user: alice, name: 'chorus' });
    await invocation.waitForResponse((c) => c === 'and more');
    await until(() => errors.length > 0);
    expect(invocation.callbacks).toMatchObject([{ type: 4, data: { content: 'public answer' } }]);
    expect(invocation.followUps).toMatchObject([
      { content: 'and a secret', flags: 64 },
      { content: 'and more' },
    ]);
    expect(discord.messages(general).map((m) => m.content)).toEqual(['public answer', 'and more']);
    expect(errors[0]).toMatchObject({ code: 40060 });
    // Bots see the public answer as an interaction response (interaction_metadata), e.g. to leave it out of context.
    const echo = await answered;
    expect(echo.interactionMetadata?.id).toBe(invocation.id);
    expect(echo.interactionMetadata?.user.id).toBe(alice.id);
  });

  it('GIVEN a short heartbeat interval THEN discord.js beats, every beat is ACKed, and the client measures a ping', async () => {
    const discord = await fake({ heartbeatIntervalMs: 30 });
    const client = await login(discord, TOKEN_A);
    await until(() => discord.heartbeats(TOKEN_A) >= 3);
    await until(() => client.ws.ping >= 0);
    expect(discord.resumes(TOKEN_A)).toBe(0);
    expect(discord.identifies(TOKEN_A)).toBe(1);
  });

  it('GIVEN a revoked token while connected THEN discord.js reports a shard error and does not reconnect', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const shardError = new Promise<Error>((resolve) => client.once('shardError', (e) => resolve(e)));
    discord.revoke(TOKEN_A);
    expect((await shardError).message).toBe('Authentication failed');
    await new Promise((resolve) => setTimeout(resolve, 700)); // discord.js reconnects 500 ms after a recoverable close
    expect(discord.identifies(TOKEN_A)).toBe(1);
    expect(discord.resumes(TOKEN_A)).toBe(0);
    expect(discord.connected(TOKEN_A)).toBe(false);
  });

  it('GIVEN a slash command in a DM THEN the interaction has a user and no member, and a reply stays in the DM', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A, { partials: [Partials.Channel] });
    const seen: { inGuild: boolean; user: string }[] = [];
    client.on('interactionCreate', async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push({ inGuild: interaction.inGuild(), user: interaction.user.id });
      await interaction.reply({ content: 'private hello', allowedMentions: { parse: [] } });
    });
    const dmChannel = discord.dmChannelId(TOKEN_A, alice);
    const invocation = discord.interact(TOKEN_A, { channelId: dmChannel, user: alice, name: 'chorus' });
    await expect(invocation.waitForResponse()).resolves.toBe('private hello');
    expect(seen).toEqual([{ inGuild: false, user: alice.id }]);
    expect(discord.messages(dmChannel)).toMatchObject([
      { content: 'private hello', interaction_id: invocation.id },
    ]);
  });

  it('GIVEN webhook executions THEN thread_id posts into a thread, wait=false answers 204, and edits go through the token', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const ideas = discord.channelId('ideas');
    const hook = (await client.rest.post(Routes.channelWebhooks(general), { body: { name: 'Chorus' } })) as {
      id: string;
      token: string;
    };
    const webhook = new WebhookClient({ id: hook.id, token: hook.token }, { rest: { api: discord.restUrl } });
    const inThread = await webhook.send({ content: 'in the thread', username: 'Luna', threadId: ideas });
    expect(discord.messages(ideas)).toMatchObject([
      { id: inThread.id, webhook_id: hook.id, author: { username: 'Luna' } },
    ]);
    const edited = await webhook.editMessage(inThread.id, {
      content: 'edited in the thread',
      threadId: ideas,
    });
    expect(edited.content).toBe('edited in the thread');
    await client.rest.post(Routes.webhook(hook.id, hook.token), {
      body: { content: 'no wait' },
      auth: false,
    });
    expect(discord.requests.at(-1)).toMatchObject({ method: 'POST', status: 204, query: {} });
    expect(discord.messages(general).map((m) => m.content)).toEqual(['no wait']);
    await expect(
      client.rest.post(Routes.webhook(hook.id, 'wrong-token'), { body: { content: 'x' }, auth: false }),
    ).rejects.toMatchObject({ status: 404, code: 10015 });
    webhook.destroy();
  });

  it('GIVEN an application without MESSAGE_CONTENT THEN history read over REST is blank too, except its own posts', async () => {
    const discord = await fake({
      bots: [{ token: TOKEN_A, username: 'Alpha', disallowedIntents: GatewayIntentBits.MessageContent }],
    });
    const client = await login(discord, TOKEN_A, {
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages,
    });
    const general = discord.channelId('general');
    discord.post(general, alice, 'hidden words');
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable() || !channel.isTextBased()) throw new Error('general is not sendable');
    await channel.send('my words');
    const history = await channel.messages.fetch({ limit: 10, cache: false });
    expect([...history.values()].map((m) => m.content)).toEqual(['my words', '']);
  });

  it('GIVEN a global 429 THEN discord.js waits it out before retrying and nothing is doubled', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const events: boolean[] = [];
    client.rest.on('rateLimited', (info) => events.push(info.global));
    discord.rateLimit({ path: /\/typing$/ }, 0.1, { global: true, count: 2 });
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    await channel.sendTyping();
    const typing = discord.requests.filter((r) => r.path.endsWith('/typing'));
    expect(typing.map((r) => r.status)).toEqual([429, 429, 204]);
    expect(events).toEqual([true, true]);
  });

  it('GIVEN a reply to an unknown message THEN Discord refuses it unless fail_if_not_exists is false', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const route = Routes.channelMessages(general);
    await expect(
      client.rest.post(route, { body: { content: 'x', message_reference: { message_id: '123' } } }),
    ).rejects.toMatchObject({ code: 50035, rawError: { errors: { message_reference: {} } } });
    const sent = (await client.rest.post(route, {
      body: { content: 'y', message_reference: { message_id: '123', fail_if_not_exists: false } },
    })) as { type: number; message_reference?: unknown };
    expect(sent.type).toBe(0);
    expect(sent.message_reference).toBeUndefined();
  });

  it('GIVEN a bot sets its nickname THEN the fake answers with the member', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const guild = client.guilds.cache.get(discord.guildId('Home'))!;
    const me = await guild.members.me!.setNickname('Alpha (Chorus)');
    expect(me.nickname).toBe('Alpha (Chorus)');
    expect(discord.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      body: { nick: 'Alpha (Chorus)' },
      status: 200,
    });
  });

  it('GIVEN a file upload THEN the multipart payload_json is read and the message lists the attachment', async () => {
    const discord = await fake();
    const client = await login(discord, TOKEN_A);
    const general = discord.channelId('general');
    const channel = client.channels.cache.get(general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const sent = await channel.send({
      content: 'see file',
      files: [{ attachment: Buffer.from('hello'), name: 'note.txt' }],
    });
    expect(sent.attachments.first()?.name).toBe('note.txt');
    expect(discord.messages(general)).toMatchObject([
      { content: 'see file', attachments: [{ filename: 'note.txt', size: 5 }] },
    ]);
  });
});
