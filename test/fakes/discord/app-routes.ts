// REST routes for applications: interaction callbacks (204, no body), the original response (@original), follow-ups,
// channel webhooks (create, list, execute, edit) and bulk command registration per guild or globally.
import type { InteractionRecord } from './interactions.js';
import { MessageFlags, MessageType, type MessageBook } from './messages.js';
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
import { invalidForm, validateMessageBody } from './rest-routes.js';
import { botUserObject, messageObject } from './shapes.js';
import { ChannelType, type CommandState, type FakeWorld, type WebhookState } from './state.js';
import type { FakeMessage } from './types.js';
import { randomBytes } from 'node:crypto';

const ID = '([^/]+)';
const ORIGINAL = '(?:@|%40)original';

export function appRoutes(
  world: FakeWorld,
  book: MessageBook,
  interactions: Map<string, InteractionRecord>,
): Route[] {
  const byToken = (appId: string, token: string) =>
    [...interactions.values()].find((i) => i.token === token && i.bot.applicationId === appId);
  const webhookOf = (id: string, token: string) => {
    const hook = world.webhooks.get(id);
    return hook && hook.token === token ? hook : undefined;
  };
  const unknownWebhook = () => error(404, 10015, 'Unknown Webhook');

  /** The interaction's original response as a message the bot can edit; created on a type 4 or 5 callback. */
  const respond = (record: InteractionRecord, type: number, data: Record<string, unknown> | undefined) => {
    const flags = typeof data?.['flags'] === 'number' ? data['flags'] : 0;
    record.ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    const content = type === 4 && typeof data?.['content'] === 'string' ? data['content'] : '';
    const { message } = book.create({
      channel: record.channel,
      author: { id: record.bot.userId, username: record.bot.username, bot: true },
      content,
      ...(type === 4 && Array.isArray(data?.['embeds']) && { embeds: data['embeds'] as object[] }),
      ...(data?.['allowed_mentions'] !== undefined && {
        allowedMentions: data['allowed_mentions'] as object,
      }),
      webhookId: record.bot.applicationId,
      type: MessageType.ChatInputCommand,
      flags: (flags & MessageFlags.Ephemeral) | (type === 5 ? MessageFlags.Loading : 0),
      interactionId: record.id,
      visible: !record.ephemeral,
    });
    record.original = message;
    if (type === 4) record.noteContent(content);
  };

  const editMessage = (c: RouteContext, message: FakeMessage | undefined, visible: boolean): RouteResult => {
    if (!message || message.deleted) return unknownMessage();
    const invalid = validateMessageBody(c.body, false);
    if (invalid) return invalid;
    book.update(
      message,
      {
        ...(typeof c.body?.content === 'string' && { content: c.body.content }),
        ...(Array.isArray(c.body?.embeds) && { embeds: c.body.embeds }),
        flags: message.flags & ~MessageFlags.Loading,
      },
      visible,
    );
    return ok(messageObject(world, message));
  };

  const executeWebhook = (c: RouteContext, hook: WebhookState): RouteResult => {
    const invalid = validateMessageBody(c.body, true);
    if (invalid) return invalid;
    const channelId = c.query['thread_id'] ?? hook.channelId;
    const channel = world.channels.get(channelId);
    if (!channel) return unknownChannel();
    if (channel.id !== hook.channelId && channel.parentId !== hook.channelId)
      return error(400, 220001, 'Webhooks can only post to their channel or its threads');
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

  const putCommands = (c: RouteContext, guildId: string | undefined): RouteResult => {
    const appId = c.params[0] ?? '';
    if (appId !== c.bot.applicationId) return missingAccess();
    if (guildId !== undefined && !world.guilds.some((g) => g.id === guildId))
      return error(404, 10004, 'Unknown Guild');
    if (!Array.isArray(c.body))
      return invalidForm({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
    const key = `${appId}:${guildId ?? 'global'}`;
    const before = world.commands.get(key) ?? [];
    const errors: Record<string, unknown> = {};
    (c.body as Record<string, unknown>[]).forEach((command, index) => {
      const name = command?.['name'];
      const description = command?.['description'];
      if (typeof name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name)) {
        errors[String(index)] = {
          name: {
            _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }],
          },
        };
      } else if (
        (command['type'] ?? 1) === 1 &&
        (typeof description !== 'string' || description.length < 1 || description.length > 100)
      ) {
        errors[String(index)] = {
          description: {
            _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
          },
        };
      }
    });
    if (Object.keys(errors).length > 0) return invalidForm(errors);
    const commands: CommandState[] = (c.body as Record<string, unknown>[]).map((command) => ({
      type: 1,
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      options: [],
      ...command,
      id: before.find((b) => b.name === command['name'])?.id ?? world.ids.next(),
      name: String(command['name']),
      application_id: appId,
      ...(guildId !== undefined && { guild_id: guildId }),
      version: world.ids.next(),
    }));
    world.commands.set(key, commands);
    return ok(commands);
  };

  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/interactions/${ID}/${ID}/callback$`),
      auth: 'none',
      handle: (c) => {
        const record = interactions.get(c.params[0] ?? '');
        if (!record || record.token !== c.params[1]) return error(404, 10062, 'Unknown interaction');
        if (record.acknowledged) return error(400, 40060, 'Interaction has already been acknowledged.');
        const type = Number(c.body?.type);
        const data = c.body?.data as Record<string, unknown> | undefined;
        if (![1, 4, 5, 6, 7, 8, 9].includes(type))
          return invalidForm({
            type: {
              _errors: [
                { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {1, 4, 5, 6, 7, 8, 9}.` },
              ],
            },
          });
        if (type === 4) {
          const invalid = validateMessageBody(data, true, 'data.content');
          if (invalid) return invalid;
        }
        record.callbacks.push({ type, ...(data !== undefined && { data }) });
        if (type === 4 || type === 5) respond(record, type, data);
        if (c.query['with_response'] !== 'true') return noContent;
        return ok({
          interaction: {
            id: record.id,
            type: 2,
            activity_instance_id: null,
            response_message_id: record.original?.id ?? null,
            response_message_loading: type === 5,
            response_message_ephemeral: record.ephemeral,
          },
          resource: { type, ...(record.original && { message: messageObject(world, record.original) }) },
        });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ORIGINAL}$`),
      auth: 'none',
      handle: (c) => {
        const record = byToken(c.params[0] ?? '', c.params[1] ?? '');
        if (!record) return unknownWebhook();
        return record.original && !record.original.deleted
          ? ok(messageObject(world, record.original))
          : unknownMessage();
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ORIGINAL}$`),
      auth: 'none',
      handle: (c) => {
        const record = byToken(c.params[0] ?? '', c.params[1] ?? '');
        if (!record) return unknownWebhook();
        const result = editMessage(c, record.original, !record.ephemeral);
        if (result.status === 200) {
          record.edits.push(c.body);
          record.noteContent(record.original?.content);
        }
        return result;
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ORIGINAL}$`),
      auth: 'none',
      handle: (c) => {
        const record = byToken(c.params[0] ?? '', c.params[1] ?? '');
        if (!record) return unknownWebhook();
        if (!record.original || record.original.deleted) return unknownMessage();
        if (record.ephemeral) record.original.deleted = true;
        else book.remove(record.original);
        return noContent;
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const record = byToken(c.params[0] ?? '', c.params[1] ?? '');
        if (record) {
          if (!record.acknowledged) return unknownWebhook();
          const invalid = validateMessageBody(c.body, true);
          if (invalid) return invalid;
          const flags = typeof c.body?.flags === 'number' ? c.body.flags : 0;
          const { message } = book.create({
            channel: record.channel,
            author: { id: record.bot.userId, username: record.bot.username, bot: true },
            content: typeof c.body?.content === 'string' ? c.body.content : '',
            ...(Array.isArray(c.body?.embeds) && { embeds: c.body.embeds }),
            ...(c.body?.allowed_mentions && { allowedMentions: c.body.allowed_mentions }),
            webhookId: record.bot.applicationId,
            flags: flags & MessageFlags.Ephemeral,
            interactionId: record.id,
            visible: (flags & MessageFlags.Ephemeral) === 0,
          });
          record.followUps.push(c.body);
          record.followUpMessages.push(message);
          record.noteContent(message.content);
          return ok(messageObject(world, message));
        }
        const hook = webhookOf(c.params[0] ?? '', c.params[1] ?? '');
        return hook ? executeWebhook(c, hook) : unknownWebhook();
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const hook = webhookOf(c.params[0] ?? '', c.params[1] ?? '');
        return hook ? ok(webhookObject(world, hook)) : unknownWebhook();
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const [id = '', token = '', messageId = ''] = c.params;
        const record = byToken(id, token);
        if (record) {
          const message = record.followUpMessages.find((m) => m.id === messageId);
          const result = editMessage(c, message, ((message?.flags ?? 0) & MessageFlags.Ephemeral) === 0);
          if (result.status === 200) record.noteContent(message?.content);
          return result;
        }
        const hook = webhookOf(id, token);
        if (!hook) return unknownWebhook();
        const message = world.allMessages().find((m) => m.id === messageId && m.webhook_id === hook.id);
        return editMessage(c, message, true);
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const [id = '', token = '', messageId = ''] = c.params;
        const hook = webhookOf(id, token);
        if (!hook) return unknownWebhook();
        const message = world
          .allMessages()
          .find((m) => m.id === messageId && m.webhook_id === hook.id && !m.deleted);
        if (!message) return unknownMessage();
        book.remove(message);
        return noContent;
      },
    },
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
      method: 'PUT',
      pattern: new RegExp(`^/applications/${ID}/guilds/${ID}/commands$`),
      auth: 'bot',
      handle: (c) => putCommands(c, c.params[1] ?? ''),
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^/applications/${ID}/commands$`),
      auth: 'bot',
      handle: (c) => putCommands(c, undefined),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/applications/${ID}/guilds/${ID}/commands$`),
      auth: 'bot',
      handle: (c) =>
        c.params[0] === c.bot.applicationId
          ? ok(world.commands.get(`${c.params[0]}:${c.params[1]}`) ?? [])
          : missingAccess(),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/applications/${ID}/commands$`),
      auth: 'bot',
      handle: (c) =>
        c.params[0] === c.bot.applicationId
          ? ok(world.commands.get(`${c.params[0]}:global`) ?? [])
          : missingAccess(),
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
