// REST routes for the gateway URL, users, guilds, channels, threads and messages (send, edit, delete, fetch,
// history pages, typing, reactions), with Discord's validation errors and codes.
import type { MessageBook } from './messages.js';
import {
  error,
  missingAccess,
  noContent,
  ok,
  unknownChannel,
  unknownMessage,
  type Route,
  type RouteContext,
  type RouteResult,
} from './rest-server.js';
import {
  botUserObject,
  channelObject,
  guildObject,
  memberObject,
  messageObject,
  userObject,
} from './shapes.js';
import { ChannelType, type BotState, type ChannelState, type FakeWorld } from './state.js';
import type { FakeMessage } from './types.js';
import { compareSnowflakes } from './snowflake.js';

const MAX_CONTENT = 2000;
const ID = '([^/]+)';

/** A request body: whatever JSON the client sent. */
type Body = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Discord's checks on a message body; `creating` adds the "empty message" check. */
export function validateMessageBody(
  body: Body,
  creating: boolean,
  field = 'content',
): RouteResult | undefined {
  const content: unknown = body?.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    return invalidForm({
      [field]: { _errors: [{ code: 'BASE_TYPE_STRING', message: 'Must be a string.' }] },
    });
  }
  if (typeof content === 'string' && content.length > MAX_CONTENT) {
    return invalidForm({
      [field]: {
        _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CONTENT} or fewer in length.` }],
      },
    });
  }
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  const hasAnything =
    (typeof content === 'string' && content.length > 0) ||
    nonEmpty(body?.embeds) ||
    nonEmpty(body?.attachments) ||
    nonEmpty(body?.sticker_ids) ||
    nonEmpty(body?.components) ||
    body?.poll !== undefined;
  if (creating && !hasAnything) return error(400, 50006, 'Cannot send an empty message');
  return undefined;
}

export function invalidForm(errors: object): RouteResult {
  return error(400, 50035, 'Invalid Form Body', errors);
}

export function channelRoutes(world: FakeWorld, book: MessageBook, gatewayUrl: () => string): Route[] {
  /** The channel if the bot can see it: every guild channel, and its own DMs. */
  const visibleChannel = (bot: BotState, id: string): ChannelState | RouteResult => {
    const channel = world.channels.get(id);
    if (!channel) return unknownChannel();
    if (channel.type === ChannelType.DM && channel.botUserId !== bot.userId) return missingAccess();
    return channel;
  };
  const liveMessage = (channel: ChannelState, id: string): FakeMessage | undefined => {
    const message = world.message(channel.id, id);
    return message && !message.deleted ? message : undefined;
  };
  const withChannel =
    (handle: (c: RouteContext, channel: ChannelState) => RouteResult) => (c: RouteContext) => {
      const channel = visibleChannel(c.bot, c.params[0] ?? '');
      return 'status' in channel ? channel : handle(c, channel);
    };

  return [
    {
      method: 'GET',
      pattern: /^\/gateway\/bot$/,
      auth: 'bot',
      handle: () =>
        ok({
          url: gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: /^\/gateway$/, auth: 'none', handle: () => ok({ url: gatewayUrl() }) },
    { method: 'GET', pattern: /^\/users\/@me$/, auth: 'bot', handle: (c) => ok(botUserObject(c.bot)) },
    {
      method: 'GET',
      pattern: /^\/applications\/@me$/,
      auth: 'bot',
      handle: (c) =>
        ok({
          id: c.bot.applicationId,
          name: c.bot.username,
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          flags: 0,
          bot: botUserObject(c.bot),
        }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/users/${ID}$`),
      auth: 'bot',
      handle: (c) => {
        const user = world.users.get(c.params[0] ?? '');
        return user ? ok(userObject(user)) : error(404, 10013, 'Unknown User');
      },
    },
    {
      method: 'POST',
      pattern: /^\/users\/@me\/channels$/,
      auth: 'bot',
      handle: (c) => {
        const user = world.users.get(String(c.body?.recipient_id ?? ''));
        if (!user) return error(404, 10013, 'Unknown User');
        return ok(channelObject(world, world.dmChannel(c.bot, user)));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}$`),
      auth: 'bot',
      handle: (c) => {
        const guild = world.guilds.find((g) => g.id === c.params[0]);
        return guild ? ok(guildObject(guild)) : error(404, 10004, 'Unknown Guild');
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/channels$`),
      auth: 'bot',
      handle: (c) => {
        if (!world.guilds.some((g) => g.id === c.params[0])) return error(404, 10004, 'Unknown Guild');
        return ok(
          world
            .guildChannels(c.params[0] ?? '')
            .filter((ch) => ch.type !== ChannelType.PublicThread)
            .map((ch) => channelObject(world, ch)),
        );
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/members/${ID}$`),
      auth: 'bot',
      handle: (c) => {
        const guild = world.guilds.find((g) => g.id === c.params[0]);
        if (!guild) return error(404, 10004, 'Unknown Guild');
        const user = world.users.get(c.params[1] ?? '');
        return user ? ok(memberObject(world, guild, user)) : error(404, 10007, 'Unknown Member');
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/threads/active$`),
      auth: 'bot',
      handle: (c) => {
        if (!world.guilds.some((g) => g.id === c.params[0])) return error(404, 10004, 'Unknown Guild');
        const threads = world
          .guildChannels(c.params[0] ?? '')
          .filter((ch) => ch.type === ChannelType.PublicThread);
        return ok({ threads: threads.map((t) => channelObject(world, t)), members: [] });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/threads/archived/(?:public|private)$`),
      auth: 'bot',
      handle: withChannel(() => ok({ threads: [], members: [], has_more: false })),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}$`),
      auth: 'bot',
      handle: withChannel((_c, ch) => ok(channelObject(world, ch))),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/typing$`),
      auth: 'bot',
      handle: withChannel(() => noContent),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/messages$`),
      auth: 'bot',
      handle: withChannel((c, channel) => {
        const invalid = validateMessageBody(c.body, true);
        if (invalid) return invalid;
        const reference = c.body?.message_reference as
          { message_id?: string; fail_if_not_exists?: boolean } | undefined;
        let replyTo: string | undefined;
        if (reference?.message_id !== undefined) {
          if (liveMessage(channel, String(reference.message_id))) replyTo = String(reference.message_id);
          else if (reference.fail_if_not_exists !== false) {
            return invalidForm({
              message_reference: {
                _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }],
              },
            });
          }
        }
        const { message } = book.create({
          channel,
          author: { id: c.bot.userId, username: c.bot.username, bot: true },
          content: typeof c.body?.content === 'string' ? c.body.content : '',
          ...(Array.isArray(c.body?.embeds) && { embeds: c.body.embeds }),
          ...(Array.isArray(c.body?.attachments) && { attachments: c.body.attachments }),
          ...(c.body?.allowed_mentions && { allowedMentions: c.body.allowed_mentions }),
          ...(replyTo !== undefined && { reference: { message_id: replyTo } }),
          ...(c.body?.nonce !== undefined && { nonce: String(c.body.nonce) }),
          enforceNonce: c.body?.enforce_nonce === true,
        });
        return ok(messageObject(world, message));
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/messages$`),
      auth: 'bot',
      handle: withChannel((c, channel) => {
        const limit = c.query['limit'] === undefined ? 50 : Number(c.query['limit']);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          return invalidForm({
            limit: {
              _errors: [
                { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' },
              ],
            },
          });
        }
        return ok(
          historyPage(world.messages.get(channel.id) ?? [], c.query, limit).map((m) =>
            messageObject(world, m),
          ),
        );
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: 'bot',
      handle: withChannel((c, channel) => {
        const message = liveMessage(channel, c.params[1] ?? '');
        return message ? ok(messageObject(world, message)) : unknownMessage();
      }),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: 'bot',
      handle: withChannel((c, channel) => {
        const message = liveMessage(channel, c.params[1] ?? '');
        if (!message) return unknownMessage();
        if (message.author.id !== c.bot.userId)
          return error(403, 50005, 'Cannot edit a message authored by another user');
        const invalid = validateMessageBody(c.body, false);
        if (invalid) return invalid;
        book.update(message, {
          ...(typeof c.body?.content === 'string' && { content: c.body.content }),
          ...(Array.isArray(c.body?.embeds) && { embeds: c.body.embeds }),
        });
        return ok(messageObject(world, message));
      }),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: 'bot',
      handle: withChannel((c, channel) => {
        const message = liveMessage(channel, c.params[1] ?? '');
        if (!message) return unknownMessage();
        book.remove(message);
        return noContent;
      }),
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}/reactions/${ID}/@me$`),
      auth: 'bot',
      handle: withChannel((c, channel) =>
        liveMessage(channel, c.params[1] ?? '') ? noContent : unknownMessage(),
      ),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}/reactions/${ID}/@me$`),
      auth: 'bot',
      handle: withChannel((c, channel) =>
        liveMessage(channel, c.params[1] ?? '') ? noContent : unknownMessage(),
      ),
    },
  ];
}

/** One page of history, newest first as Discord returns it: before / after / around a message id. */
function historyPage(all: FakeMessage[], query: Record<string, string>, limit: number): FakeMessage[] {
  const live = all.filter((m) => !m.deleted).sort((a, b) => compareSnowflakes(a.id, b.id));
  let page: FakeMessage[];
  const { before, after, around } = query;
  if (around !== undefined) {
    const older = live.filter((m) => compareSnowflakes(m.id, around) <= 0).slice(-Math.ceil(limit / 2));
    const newer = live.filter((m) => compareSnowflakes(m.id, around) > 0).slice(0, limit - older.length);
    page = [...older, ...newer];
  } else if (after !== undefined) {
    page = live.filter((m) => compareSnowflakes(m.id, after) > 0).slice(0, limit);
  } else {
    page = live.filter((m) => before === undefined || compareSnowflakes(m.id, before) < 0).slice(-limit);
  }
  return page.reverse();
}
