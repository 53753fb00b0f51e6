// The /chorus slash command as Discord registers it: subcommands and groups with typed options, limited to guilds,
// and shown by default only to members with Manage Guild (server admins can still grant it to anyone, so the
// handler checks the config's admins allowlist too).
import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type SlashCommandStringOption,
} from 'discord.js';

export const COMMAND_NAME = 'chorus';

/** Channels `markov train|stats` accept: text channels, announcement channels and their threads. */
const TRAINABLE_CHANNELS = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.PublicThread,
  ChannelType.AnnouncementThread,
] as const;

/** The /chorus command (a fresh object each call). */
export function chorusCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const entityOption = (description: string) => (o: SlashCommandStringOption) =>
    o.setName('entity').setDescription(description).setRequired(true).setAutocomplete(true);
  const builder = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription('Administer the Chorus persona fleet')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('entities')
        .setDescription('List the entities with their state, chance and rate limits')
        .addIntegerOption((o) => o.setName('page').setDescription('Page of the list').setMinValue(1)),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('entity')
        .setDescription('Change one entity (until restart)')
        .addSubcommand((s) =>
          s
            .setName('enable')
            .setDescription('Let an entity reply again')
            .addStringOption(entityOption('The entity to enable')),
        )
        .addSubcommand((s) =>
          s
            .setName('disable')
            .setDescription('Stop an entity from replying')
            .addStringOption(entityOption('The entity to disable')),
        )
        .addSubcommand((s) =>
          s
            .setName('set')
            .setDescription("Change an entity's response chance and rate limits")
            .addStringOption(entityOption('The entity to change'))
            .addNumberOption((o) =>
              o
                .setName('response_chance')
                .setDescription('Chance (0–1) of answering a message not addressed to it')
                .setMinValue(0)
                .setMaxValue(1),
            )
            .addNumberOption((o) =>
              o
                .setName('min_seconds_between_posts')
                .setDescription('Minimum seconds between two posts (0: none)')
                .setMinValue(0)
                .setMaxValue(86_400),
            )
            .addIntegerOption((o) =>
              o
                .setName('max_posts_per_minute')
                .setDescription('Posts per minute at most (0: no limit)')
                .setMinValue(0)
                .setMaxValue(1_000),
            )
            .addIntegerOption((o) =>
              o
                .setName('max_posts_per_hour')
                .setDescription('Posts per hour at most (0: no limit)')
                .setMinValue(0)
                .setMaxValue(100_000),
            ),
        ),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('cluster')
        .setDescription('The LM Studio cluster')
        .addSubcommand((s) =>
          s.setName('status').setDescription('Servers, health, breakers, loaded models and the queue'),
        )
        .addSubcommand((s) =>
          s
            .setName('load')
            .setDescription('Load a model (where placement puts it, or on a given server)')
            .addStringOption((o) => o.setName('model').setDescription('Model key').setRequired(true))
            .addStringOption((o) => o.setName('server').setDescription('Server name or ip:port')),
        )
        .addSubcommand((s) =>
          s
            .setName('unload')
            .setDescription('Unload a model (from every server holding it, or from one)')
            .addStringOption((o) => o.setName('model').setDescription('Model key').setRequired(true))
            .addStringOption((o) => o.setName('server').setDescription('Server name or ip:port')),
        ),
    )
    .addSubcommandGroup((g) =>
      g
        .setName('markov')
        .setDescription('The Markov fallback of a channel')
        .addSubcommand((s) =>
          s
            .setName('train')
            .setDescription("Train the channel's Markov scopes on its history (threads included)")
            .addChannelOption((o) =>
              o
                .setName('channel')
                .setDescription('Channel to train (default: this one)')
                .addChannelTypes(...TRAINABLE_CHANNELS),
            ),
        )
        .addSubcommand((s) =>
          s
            .setName('stats')
            .setDescription("Size of the channel's Markov scopes")
            .addChannelOption((o) =>
              o
                .setName('channel')
                .setDescription('Channel (default: this one)')
                .addChannelTypes(...TRAINABLE_CHANNELS),
            ),
        )
        .addSubcommand((s) =>
          s
            .setName('forget')
            .setDescription("Untrain one message, or every message of a person, from this channel's scopes")
            .addStringOption((o) => o.setName('message_id').setDescription('The message id to untrain'))
            .addUserOption((o) => o.setName('user').setDescription('The person whose messages to untrain')),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('say')
        .setDescription('Make an entity speak in this channel')
        .addStringOption(entityOption('The entity that speaks'))
        .addStringOption((o) =>
          o
            .setName('text')
            .setDescription('What it says (default: a reply to the conversation)')
            .setMaxLength(2000),
        ),
    );
  return builder.toJSON();
}
