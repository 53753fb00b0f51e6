// REST routes for messages in a channel: send (validation, replies, enforce_nonce), fetch one, history pages
// (newest first, limit 1–100, before/after/around), edit (own messages only), delete, typing and reactions.
// Bots whose application lacks MESSAGE_CONTENT read others' messages blank here too, as on Discord.
import { liveMessage, withChannel } from './channel-access.js';
import { GatewayIntent } from './gateway.js';
import { applyEdit, invalidForm, validateMessageBody } from './message-bodies.js';
import { asReadBy, type MessageBook } from './messages.js';
import { error, noContent, ok, unknownMessage, type Route, type RouteContext } from './rest-server.js';
import { messageObject } from './shapes.js';
import { compareSnowflakes } from './snowflake.js';
import type { ChannelState, FakeWorld } from './state.js';
import type { FakeMessage } from './types.js';

const ID = '([^/]+)';

export function messageRoutes(world: FakeWorld, book: MessageBook): Route[] {
  const read = (c: RouteContext, channel: ChannelState, message: FakeMessage) => {
    const contentIntent = (c.bot.disallowedIntents & GatewayIntent.MessageContent) === 0;
    return asReadBy(c.bot, contentIntent, channel, message, messageObject(world, message));
  };
  const reaction = withChannel(world, (c, channel) =>
    liveMessage(world, channel, c.params[1] ?? '') ? noContent : unknownMessage(),
  );

  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/typing$`),
      auth: 'bot',
      handle: withChannel(world, () => noContent),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/messages$`),
      auth: 'bot',
      handle: withChannel(world, (c, channel) => {
        const invalid = validateMessageBody(c.body, true);
        if (invalid) return invalid;
        const reference = c.body?.message_reference as
          { message_id?: string; fail_if_not_exists?: boolean } | undefined;
        let replyTo: string | undefined;
        if (reference?.message_id !== undefined) {
          if (liveMessage(world, channel, String(reference.message_id)))
            replyTo = String(reference.message_id);
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
      handle: withChannel(world, (c, channel) => {
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
        const page = historyPage(world.messages.get(channel.id) ?? [], c.query, limit);
        return ok(page.map((m) => read(c, channel, m)));
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: 'bot',
      handle: withChannel(world, (c, channel) => {
        const message = liveMessage(world, channel, c.params[1] ?? '');
        return message ? ok(read(c, channel, message)) : unknownMessage();
      }),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: 'bot',
      handle: withChannel(world, (c, channel) => {
        const message = liveMessage(world, channel, c.params[1] ?? '');
        if (message && message.author.id !== c.bot.userId) {
          return error(403, 50005, 'Cannot edit a message authored by another user');
        }
        return applyEdit(world, book, c.body, message);
      }),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: 'bot',
      handle: withChannel(world, (c, channel) => {
        const message = liveMessage(world, channel, c.params[1] ?? '');
        if (!message) return unknownMessage();
        book.remove(message);
        return noContent;
      }),
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}/reactions/${ID}/(?:@|%40)me$`),
      auth: 'bot',
      handle: reaction,
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}/reactions/${ID}/(?:@|%40)me$`),
      auth: 'bot',
      handle: reaction,
    },
  ];
}

/** One page of history, newest first as Discord returns it: before / after / around a message id. */
function historyPage(all: FakeMessage[], query: Record<string, string>, limit: number): FakeMessage[] {
  const live = all.filter((m) => !m.deleted).sort((a, b) => compareSnowflakes(a.id, b.id));
  const { before, after, around } = query;
  let page: FakeMessage[];
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
