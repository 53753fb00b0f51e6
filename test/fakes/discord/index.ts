// A local fake Discord (REST under /api/v10 and a gateway websocket on one 127.0.0.1 port) that the real
// discord.js v14 logs in to: `new Client({ intents, rest: { api: fake.restUrl } })`. Tests drive people's side
// (post, dm, edit, delete, interact) and read what the bots did (messages, requests, interactions).
//
// What a discord.js Client needs here, as on Discord: intents Guilds + GuildMessages (+ MessageContent to read
// people's text, + DirectMessages for DMs); DMs reach `messageCreate` only with `partials: [Partials.Channel]` or
// once the DM channel is cached (users.createDM). discord.js waits 500 ms before reconnecting after a close and
// 5-6.5 s between two IDENTIFYs of one token (its SimpleIdentifyThrottler); tests that force a re-identify pass
// `ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) }`. Destroy clients before close().
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { commandRoutes } from './command-routes.js';
import { FakeGateway } from './gateway.js';
import { guildRoutes } from './guild-routes.js';
import { interactionRoutes } from './interaction-routes.js';
import { messageRoutes } from './message-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { InteractionRecord, interactionPayload } from './interactions.js';
import { MessageBook } from './messages.js';
import { RestServer } from './rest-server.js';
import { ChannelType, FakeWorld, type ChannelState } from './state.js';
import type {
  FakeDiscord,
  FakeDiscordOptions,
  FakeInteraction,
  FakeMessage,
  FakePostExtra,
  FakeRequest,
  FakeUser,
} from './types.js';

export type * from './types.js';
export { snowflakeTime } from './snowflake.js';

const DEFAULT_HEARTBEAT_MS = 41_250;

export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const now = options.now ?? (() => Date.now());
  const world = new FakeWorld(options, now);
  const rest = new RestServer(world);
  const server = createServer((req, res) => rest.handle(req, res));
  let port = 0;
  const gateway = new FakeGateway(
    server,
    world,
    options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS,
    () => `ws://127.0.0.1:${port}/resume`,
  );
  const book = new MessageBook(world, gateway);
  const interactions = new Map<string, InteractionRecord>();
  rest.addRoutes([
    ...guildRoutes(world, () => `ws://127.0.0.1:${port}`),
    ...messageRoutes(world, book),
    // Interaction routes first: a POST/PATCH under /webhooks/{app}/{token} is a follow-up when the token is an
    // interaction's, else a webhook execution.
    ...interactionRoutes(world, book, interactions),
    ...webhookRoutes(world, book),
    ...commandRoutes(world),
  ]);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return new FakeDiscordServer(
    `http://127.0.0.1:${port}/api`,
    server,
    world,
    rest,
    gateway,
    book,
    interactions,
  );
}

class FakeDiscordServer implements FakeDiscord {
  private closed = false;

  constructor(
    readonly restUrl: string,
    private readonly server: Server,
    private readonly world: FakeWorld,
    private readonly rest: RestServer,
    private readonly gateway: FakeGateway,
    private readonly book: MessageBook,
    private readonly interactions: Map<string, InteractionRecord>,
  ) {}

  get requests(): FakeRequest[] {
    return this.rest.requests;
  }

  bot(token: string) {
    const { userId, applicationId, username } = this.world.requireBot(token);
    return { userId, applicationId, username };
  }

  guildId(name: string): string {
    const guild = this.world.guilds.find((g) => g.name === name);
    if (!guild) throw new Error(`fake discord: no guild named ${name}`);
    return guild.id;
  }

  channelId(name: string): string {
    const channel = [...this.world.channels.values()].find((c) => c.guildId !== undefined && c.name === name);
    if (!channel) throw new Error(`fake discord: no guild channel or thread named ${name}`);
    return channel.id;
  }

  post(channelId: string, author: FakeUser, content: string, extra: FakePostExtra = {}): FakeMessage {
    const channel = this.world.requireChannel(channelId);
    if (extra.replyTo !== undefined && !this.world.message(channel.id, extra.replyTo)) {
      throw new Error(`fake discord: post replies to unknown message ${extra.replyTo} in ${channelId}`);
    }
    return this.book.create({
      channel,
      author: this.world.rememberUser(author),
      content,
      ...(extra.mentions && { mentions: extra.mentions }),
      ...(extra.replyTo !== undefined && { reference: { message_id: extra.replyTo } }),
      ...(extra.embeds && { embeds: extra.embeds }),
      ...(extra.attachments && { attachments: extra.attachments }),
    }).message;
  }

  dmChannelId(botToken: string, user: FakeUser): string {
    return this.world.dmChannel(this.world.requireBot(botToken), user).id;
  }

  dm(botToken: string, author: FakeUser, content: string): FakeMessage {
    const channel = this.world.dmChannel(this.world.requireBot(botToken), author);
    return this.book.create({ channel, author: this.world.rememberUser(author), content }).message;
  }

  edit(channelId: string, messageId: string, content: string): void {
    this.book.update(this.requireMessage(channelId, messageId), { content });
  }

  delete(channelId: string, messageId: string): void {
    this.book.remove(this.requireMessage(channelId, messageId));
  }

  messages(channelId: string): FakeMessage[] {
    return [...(this.world.messages.get(channelId) ?? [])];
  }

  waitFor(
    predicate: (m: FakeMessage) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<FakeMessage[]> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 5000;
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.world.allMessages().filter(predicate);
        if (found.length >= count) return resolve(found);
        if (this.closed || Date.now() >= deadline) {
          const recent = this.world
            .allMessages()
            .slice(-5)
            .map((m) => `${m.author.username}: ${JSON.stringify(m.content)}`);
          return reject(
            new Error(
              `fake discord: ${found.length}/${count} matching messages after ${timeoutMs} ms; last messages: ${recent.join(' | ') || 'none'}`,
            ),
          );
        }
        setTimeout(check, 10);
      };
      check();
    });
  }

  rateLimit(
    match: { method?: string; path: RegExp },
    retryAfterSeconds: number,
    options: { count?: number; global?: boolean } = {},
  ): void {
    this.rest.rateLimit(match, retryAfterSeconds, options);
  }

  dropConnection(botToken: string, options: { closeCode?: number; invalidateSession?: boolean } = {}): void {
    this.gateway.drop(
      this.world.requireBot(botToken),
      options.closeCode ?? 4000,
      options.invalidateSession ?? false,
    );
  }

  requestReconnect(botToken: string): void {
    this.gateway.requestReconnect(this.world.requireBot(botToken));
  }

  identifies(botToken: string): number {
    return this.gateway.counter(this.world.requireBot(botToken)).identifies;
  }

  resumes(botToken: string): number {
    return this.gateway.counter(this.world.requireBot(botToken)).resumes;
  }

  heartbeats(botToken: string): number {
    return this.gateway.counter(this.world.requireBot(botToken)).heartbeats;
  }

  connected(botToken: string): boolean {
    return this.gateway.connected(this.world.requireBot(botToken));
  }

  revoke(botToken: string): void {
    const bot = this.world.requireBot(botToken);
    bot.revoked = true;
    this.gateway.revoke(bot);
  }

  interact(botToken: string, invocation: Parameters<FakeDiscord['interact']>[1]): FakeInteraction {
    const bot = this.world.requireBot(botToken);
    const channel: ChannelState = this.world.requireChannel(invocation.channelId);
    if (channel.type === ChannelType.DM && channel.botUserId !== bot.userId) {
      throw new Error(`fake discord: channel ${channel.id} is another bot's DM`);
    }
    const record = new InteractionRecord(
      this.world.ids.next(),
      `itoken-${randomBytes(18).toString('base64url')}`,
      bot,
      channel,
      invocation,
    );
    this.interactions.set(record.id, record);
    const registered = [
      ...(this.world.commands.get(`${bot.applicationId}:${channel.guildId ?? ''}`) ?? []),
      ...(this.world.commands.get(`${bot.applicationId}:global`) ?? []),
    ].find((c) => c.name === invocation.name);
    const payload = interactionPayload(
      this.world,
      record,
      invocation,
      registered?.id ?? this.world.ids.next(),
    );
    this.gateway.dispatch([bot], 'INTERACTION_CREATE', payload);
    return record;
  }

  commands(applicationId: string, guildId: string): object[] {
    return [...(this.world.commands.get(`${applicationId}:${guildId}`) ?? [])];
  }

  webhooks(channelId: string) {
    return [...this.world.webhooks.values()]
      .filter((h) => h.channelId === channelId)
      .map((h) => ({
        id: h.id,
        token: h.token,
        name: h.name,
        channel_id: h.channelId,
        guild_id: h.guildId,
        application_id: h.applicationId,
      }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private requireMessage(channelId: string, messageId: string): FakeMessage {
    const message = this.world.message(channelId, messageId);
    if (!message || message.deleted)
      throw new Error(`fake discord: no message ${messageId} in channel ${channelId}`);
    return message;
  }
}
