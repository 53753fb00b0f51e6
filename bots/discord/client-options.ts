// The discord.js options every entity's Client is built with: the intents Chorus needs and no more, caches
// small enough that memory stays flat however long the fleet runs, and mentions that ping nobody.
import { GatewayIntentBits, Options, Partials, type ClientOptions } from 'discord.js';
import { NO_PINGS } from './reply-payload.js';

export interface EntityClientSettings {
  /** Discord's REST base (`platforms.discord.restBaseUrl`); the gateway address is discovered from it. */
  restBaseUrl: string;
  /** Whether this entity takes direct messages (adds the DirectMessages intent). */
  dms: boolean;
}

/** Messages kept per channel: enough to resolve replies and edits of recent messages; older ones are fetched. */
export const MESSAGES_PER_CHANNEL = 50;

export function entityClientOptions(settings: EntityClientSettings): ClientOptions {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.MessageContent,
  ];
  if (settings.dms) intents.push(GatewayIntentBits.DirectMessages);
  return {
    intents,
    // DM channels are not in the cache until a DM arrives; edits and deletions may name uncached messages.
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: NO_PINGS,
    failIfNotExists: false,
    rest: { api: settings.restBaseUrl },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: MESSAGES_PER_CHANNEL,
      ReactionManager: 0,
      ReactionUserManager: 0,
      PresenceManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      VoiceStateManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      // Only the bot's own member: message authors come with the message.
      GuildMemberManager: { maxSize: 1, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 100, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      messages: { interval: 300, lifetime: 900 },
      users: { interval: 3600, filter: () => (user) => user.id !== user.client.user.id },
    },
  };
}
