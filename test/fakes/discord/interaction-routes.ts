// Interaction responses over REST (no Authorization header): the callback (204 without body or JSON content-type
// unless ?with_response=true), the original response (@original, percent-encoded by discord.js) and follow-ups.
import type { InteractionRecord } from './interactions.js';
import { applyEdit, invalidForm, validateMessageBody } from './message-bodies.js';
import { MessageFlags, MessageType, type MessageBook } from './messages.js';
import { error, noContent, ok, unknownMessage, type Route } from './rest-server.js';
import { messageObject } from './shapes.js';
import type { FakeWorld } from './state.js';

const ID = '([^/]+)';
const ORIGINAL = '(?:@|%40)original';
const CALLBACK_TYPES = [1, 4, 5, 6, 7, 8, 9];

export function interactionRoutes(
  world: FakeWorld,
  book: MessageBook,
  interactions: Map<string, InteractionRecord>,
): Route[] {
  const byToken = (appId: string, token: string) =>
    [...interactions.values()].find((i) => i.token === token && i.bot.applicationId === appId);
  const unknownWebhook = () => error(404, 10015, 'Unknown Webhook');

  /** The original response as a message: created by a type 4 reply or a type 5 defer ("thinking…", flag 128). */
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
      interactionMetadata: record.metadata(),
      visible: !record.ephemeral,
    });
    record.original = message;
    if (type === 4) record.noteContent(content);
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
        if (!CALLBACK_TYPES.includes(type)) {
          return invalidForm({
            type: {
              _errors: [
                {
                  code: 'BASE_TYPE_CHOICES',
                  message: `Value must be one of {${CALLBACK_TYPES.join(', ')}}.`,
                },
              ],
            },
          });
        }
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
        const result = applyEdit(world, book, c.body, record.original, !record.ephemeral);
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
      // A follow-up; falls through to webhook execution when the token is not an interaction's.
      method: 'POST',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const record = byToken(c.params[0] ?? '', c.params[1] ?? '');
        if (!record) return undefined;
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
          interactionMetadata: record.metadata(),
          visible: (flags & MessageFlags.Ephemeral) === 0,
        });
        record.followUps.push(c.body);
        record.followUpMessages.push(message);
        record.noteContent(message.content);
        return ok(messageObject(world, message));
      },
    },
    {
      // Editing a follow-up; falls through to webhook message edits when the token is not an interaction's.
      method: 'PATCH',
      pattern: new RegExp(`^/webhooks/${ID}/${ID}/messages/${ID}$`),
      auth: 'none',
      handle: (c) => {
        const [appId = '', token = '', messageId = ''] = c.params;
        const record = byToken(appId, token);
        if (!record) return undefined;
        const message = record.followUpMessages.find((m) => m.id === messageId);
        const result = applyEdit(
          world,
          book,
          c.body,
          message,
          ((message?.flags ?? 0) & MessageFlags.Ephemeral) === 0,
        );
        if (result.status === 200) record.noteContent(message?.content);
        return result;
      },
    },
  ];
}
