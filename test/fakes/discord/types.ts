// The fake Discord's public types (the contract in /tmp/brief/discord-contracts.md, plus a few additions marked
// "Addition"). Messages are kept as Discord's own snake_case message objects so tests read them like the wire.

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeBotSpec {
  token: string;
  username: string;
  userId?: string;
  applicationId?: string;
  /** Addition: intents this bot's application may not use (e.g. 1 << 15 MESSAGE_CONTENT not enabled in the
   * developer portal). IDENTIFY asking for one closes the gateway with 4014 "Disallowed intent(s)". */
  disallowedIntents?: number;
}

export interface FakeChannelSpec {
  name: string;
  id?: string;
  /** a public thread under parent (the parent channel's name or id) */
  parent?: string;
}

export interface FakeGuildSpec {
  name: string;
  id?: string;
  channels: FakeChannelSpec[];
}

export interface FakeDiscordOptions {
  bots: FakeBotSpec[];
  guilds: FakeGuildSpec[];
  /** HELLO's heartbeat_interval; default 41250 ms. */
  heartbeatIntervalMs?: number;
  /** Addition: people who are members of every guild from the start (people who post become members anyway). */
  users?: FakeUser[];
  /** Addition: the time source for snowflakes, timestamps and the nonce window; default Date.now. */
  now?: () => number;
}

export interface FakeRequest {
  method: string;
  /** The path after /api/v10 as sent (percent-encoding kept, e.g. `/messages/%40original`), without the query. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body (the raw text when it is not JSON; undefined when empty). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The bot token from `Authorization: Bot <token>`, or undefined (interaction callbacks, webhooks). */
  token: string | undefined;
  status: number;
}

export interface FakeAllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** A stored message, as Discord's message object (snake_case) plus what the sender asked for. */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: { id: string; username: string; bot?: boolean };
  content: string;
  mentions: object[];
  message_reference?: { message_id: string; channel_id?: string; guild_id?: string; type?: number };
  nonce?: string;
  webhook_id?: string;
  timestamp: string;
  edited_timestamp: string | null;
  deleted?: boolean;
  /** The allowed_mentions the sender passed (absent for people's posts). */
  allowed_mentions?: FakeAllowedMentions;
  // Additions: the rest of Discord's message object.
  type: number;
  tts: boolean;
  mention_everyone: boolean;
  mention_roles: string[];
  attachments: object[];
  embeds: object[];
  components: object[];
  pinned: boolean;
  flags: number;
  /** Addition: set on interaction responses and follow-ups (the interaction's id; not on the wire). */
  interaction_id?: string;
  /** Addition: Discord's interaction_metadata on interaction responses and follow-ups (on the wire). */
  interaction_metadata?: object;
}

export interface FakeInteraction {
  id: string;
  token: string;
  /** Interaction callbacks received (type 4 reply, 5 defer, …) with their data (flags: 64 = ephemeral). */
  readonly callbacks: { type: number; data?: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Contents of the original response as edited (editReply), in order (the PATCH bodies). */
  readonly edits: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Follow-up message bodies (followUp), in order. */
  readonly followUps: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves with the latest response content once one matches (default: any), rejecting after timeoutMs (default 5000). */
  waitForResponse(predicate?: (content: string) => boolean, timeoutMs?: number): Promise<string>;
}

export interface FakeInvocation {
  channelId: string;
  user: FakeUser;
  /** The member's permissions as a bitfield string; default '0' (no permissions). */
  permissions?: string;
  name: string;
  /** raw application command interaction data options (subcommand groups/subcommands/values) */
  options?: object[];
}

export interface FakePostExtra {
  /** user ids mentioned (bots' userIds to mention a bot); default: the `<@id>` in the content */
  mentions?: string[];
  /** message id this replies to (message_reference) */
  replyTo?: string;
  embeds?: object[];
  attachments?: { filename: string; size: number }[];
}

export interface FakeDiscord {
  /** 'http://127.0.0.1:PORT/api' — what discord.js takes as `rest: { api }` and Chorus as platforms.discord.restBaseUrl. */
  readonly restUrl: string;
  bot(token: string): { userId: string; applicationId: string; username: string };
  guildId(name: string): string;
  /** A guild channel's or thread's id by name (the first guild that has it). */
  channelId(name: string): string;
  /** A person posts in a guild channel; MESSAGE_CREATE goes to every connected bot in the guild (bots' own posts too). */
  post(channelId: string, author: FakeUser, content: string, extra?: FakePostExtra): FakeMessage;
  /** A person DMs a bot: a DM channel per (bot, person); MESSAGE_CREATE (no guild_id) to that bot only. */
  dm(botToken: string, author: FakeUser, content: string): FakeMessage;
  /** Addition: the DM channel id of (bot, person), created if needed. */
  dmChannelId(botToken: string, user: FakeUser): string;
  /** MESSAGE_UPDATE */
  edit(channelId: string, messageId: string, content: string): void;
  /** MESSAGE_DELETE */
  delete(channelId: string, messageId: string): void;
  /** Everything posted in a channel (people's, bots', webhooks'), oldest first. */
  messages(channelId: string): FakeMessage[];
  /** Polls until at least `count` (default 1) messages anywhere match, or rejects after timeoutMs (default 5000). */
  waitFor(
    predicate: (m: FakeMessage) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeMessage[]>;
  /** Every REST call, in order. */
  readonly requests: FakeRequest[];
  /** The next `count` (default 1) REST calls matching get 429 { message, retry_after, global } + Retry-After / X-RateLimit-* headers. */
  rateLimit(
    match: { method?: string; path: RegExp },
    retryAfterSeconds: number,
    options?: { count?: number; global?: boolean },
  ): void;
  /** Closes a bot's gateway socket with a resumable close code (default 4000); dispatches while it is away are replayed on RESUME.
   * Addition: `invalidateSession` forgets the session, so the RESUME gets op 9 (d: false) and the bot identifies anew. */
  dropConnection(botToken: string, options?: { closeCode?: number; invalidateSession?: boolean }): void;
  /** Addition: sends op 7 RECONNECT to the bot's sockets (discord.js then resumes). */
  requestReconnect(botToken: string): void;
  identifies(botToken: string): number;
  resumes(botToken: string): number;
  /** Addition: heartbeats (op 1) received from this bot's sockets. */
  heartbeats(botToken: string): number;
  /** Addition: whether the bot has an open, identified gateway socket. */
  connected(botToken: string): boolean;
  /** The token stops working: REST 401 {"message":"401: Unauthorized","code":0}; gateway closes 4004. */
  revoke(botToken: string): void;
  /** A slash command invocation (INTERACTION_CREATE type 2) to the bot; member permissions as a bitfield string. */
  interact(botToken: string, invocation: FakeInvocation): FakeInteraction;
  /** Commands registered by the bulk PUT for (application, guild). */
  commands(applicationId: string, guildId: string): object[];
  /** Addition: webhooks created in a channel ({id, token, name, channel_id, guild_id, application_id}). */
  webhooks(channelId: string): { id: string; token: string; name: string; channel_id: string }[];
  close(): Promise<void>;
}
