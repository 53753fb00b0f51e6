// The fake Discord driven by the real discord.js v14 Client: login (READY + GUILD_CREATE), messages both ways,
// slash command interactions, DMs, edits and deletes, history, validation errors, nonces, the MESSAGE_CONTENT
// intent, 429s, dropped connections with RESUME, revoked tokens, webhooks and heartbeats.
import { Client, GatewayIntentBits, MessageFlags, type ClientOptions, type Message } from 'discord.js';
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
});
