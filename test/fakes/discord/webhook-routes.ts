// Channel webhooks: create and list them with a bot token; execute, fetch, edit and delete their messages with the
// webhook's own token (no Authorization header). Webhook messages carry webhook_id and a bot author named per post.
import { randomBytes } from 'node:crypto';
import { applyEdit, invalidForm, validateMessageBody } from './message-bodies.js';
import type { MessageBook } from './messages.js';
import {
  error,
  noContent,
  ok,
  unknownChannel,
  unknownMessage,
  type Route,
  type RouteContext,
  type RouteResult,
} from './rest-server.js';
import { botUserObject, messageObject } from './shapes.js';
import { ChannelType, type FakeWorld, type WebhookState } from './state.js';

const ID = '([^/]+)';

export function webhookRoutes(world: FakeWorld, book: MessageBook): Route[] {
  const webhookOf = (c: RouteContext) => {
    const hook = world.webhooks.get(c.params[0] ?? '');
    return hook && hook.token === c.params[1] ? hook : undefined;
  };
  const unknownWebhook = () => error(404, 10015, 'Unknown Webhook');
  const hookMessage = (hook: WebhookState, id: string | undefined) =>
    world.allMessages().find((m) => m.id === id && m.webhook_id === hook.id && !m.deleted);

  const execute = (c: RouteContext, hook: WebhookState): RouteResult => {
    const invalid = validateMessageBody(c.body, true);
    if (invalid) return invalid;
    const channel = world.channels.get(c.query['thread_id'] ?? hook.channelId);
    if (!channel) return unknownChannel();
    if (channel.id !== hook.channelId && channel.parentId !== hook.channelId) {
      return error(400, 220001, 'Webhooks can only post to their channel or its threads');
    }
    const username =
      typeof c.body?.username === 'string' && c.body.username.length > 0 ? c.body.username : hook.name;
    const { message } = book.create({
      channel,
      author: { id: hook.id, username, bot: true },
      content: typeof c.body?.content === 'string' ? c.body.content : '',
      ...(Array.isArray(c.body?.embeds) && { embeds: c.body.embeds }),
      ...(c.body?.allowed_mentions && { allowedMentions: c.body.allowed_mentions }),
      webhookId: hook.id,
    });
    return c.query['wait'] === 'true' ? ok(messageObject(world, message)) : noContent;
  };

  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/webhooks$`),
      auth: 'bot',
      handle: (c) => {
        const channel = world.channels.get(c.params[0] ?? '');
        if (!channel) return unknownChannel();
        if (channel.type !== ChannelType.GuildText || channel.guildId === undefined) {
          return error(400, 50024, 'Cannot execute action on this channel type');
        }
        const name = c.body?.name;
        if (typeof name !== 'string' || name.length < 1 || name.length > 80) {
          return invalidForm({
            name: {
              _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 80 in length.' }],
            },
          });
        }
        const hook: WebhookState = {
          id: world.ids.next(),
          token: randomBytes(24).toString('base64url'),
          name,
          channelId: channel.id,
          guildId: channel.guildId,
          applicationId: c.bot.applicationId,
          creatorId: c.bot.userId,
        };
        world.webhooks.set(hook.id, hook);
        return ok(webhookObject(world, hook));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/webhooks$`),
      auth: 'bot',
      handle: (c) => {
        const channel = world.channels.get(c.params[0] ?? '');
        if (!channel) return unknownChannel();
        return ok(
          [...world.webhooks.values()]
            .filter((h) => h.channelId === channel.id)
            .map((h) => webhookObject(world, h)),
        );
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/webhooks$`),
      auth: 'bot',
      handle: (c) =>
        ok(
          [...world.webhooks.values()]
            .filter((h) => h.guildId === c.params[0])
            .map((h) => webhookObject(world, h)),
        ),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const hook = webhookOf(c);
        return hook ? execute(c, hook) : unknownWebhook();
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const hook = webhookOf(c);
        return hook ? ok(webhookObject(world, hook)) : unknownWebhook();
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const hook = webhookOf(c);
        if (!hook) return unknownWebhook();
        const message = hookMessage(hook, c.params[2]);
        return message ? ok(messageObject(world, message)) : unknownMessage();
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const hook = webhookOf(c);
        return hook ? applyEdit(world, book, c.body, hookMessage(hook, c.params[2])) : unknownWebhook();
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const hook = webhookOf(c);
        if (!hook) return unknownWebhook();
        const message = hookMessage(hook, c.params[2]);
        if (!message) return unknownMessage();
        book.remove(message);
        return noContent;
      },
    },
  ];
}

function webhookObject(world: FakeWorld, hook: WebhookState): Record<string, unknown> {
  const creator = world.botByUserId(hook.creatorId);
  return {
    id: hook.id,
    type: 1,
    token: hook.token,
    channel_id: hook.channelId,
    guild_id: hook.guildId,
    name: hook.name,
    avatar: null,
    application_id: hook.applicationId,
    ...(creator && { user: botUserObject(creator) }),
  };
}
