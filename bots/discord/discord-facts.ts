// Reads the facts the message mapping needs out of a discord.js Message, so the mapping itself stays pure.
import type { Message } from 'discord.js';
import type { DiscordMessageFacts } from './message-mapping.js';

export function messageFacts(message: Message): DiscordMessageFacts {
  const mentions = new Map<string, string>();
  for (const [id, user] of message.mentions.users) mentions.set(id, user.globalName ?? user.username);
  return {
    id: message.id,
    channelId: message.channelId,
    guildId: message.guildId,
    author: {
      id: message.author.id,
      username: message.author.username,
      displayName: message.member?.displayName ?? message.author.globalName ?? message.author.username,
      bot: message.author.bot,
    },
    webhookId: message.webhookId,
    content: message.content,
    mentions,
    referenceId: message.reference?.messageId,
    attachments: message.attachments.size,
    embeds: message.embeds.length,
    createdAt: message.createdTimestamp,
  };
}
