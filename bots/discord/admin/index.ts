// The /chorus admin slash commands for Discord: registers the command in every guild of one client (one bulk PUT
// per guild, on ready and whenever the bot joins a guild) and answers its interactions, ephemerally, for the user
// ids of the config's `admins.discord` only. The adapter calls attachAdminCommands for the client that carries
// the commands.
import {
  Events,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type Guild,
  type Interaction,
} from 'discord.js';
import { parseAdminCommand, commandPath, type AdminCommand, type RawOption } from './admin-command.js';
import {
  AdminCommandError,
  answer,
  type AdminCommandDeps,
  type AdminCommandOptions,
  type AdminRequest,
} from './admin-request.js';
import { authorize } from './authorization.js';
import { clusterLoad, clusterStatus, clusterUnload } from './cluster-command.js';
import { chorusCommand, COMMAND_NAME } from './command-definition.js';
import { listEntities } from './entities-command.js';
import { setEnabled, setEntity } from './entity-command.js';
import { entityChoices } from './entity-lookup.js';
import { markovForget } from './markov-forget-command.js';
import { markovStats } from './markov-stats-command.js';
import { markovTrain } from './markov-train-command.js';
import { say } from './say-command.js';

export type { AdminCommandDeps, AdminCommandOptions } from './admin-request.js';

function run(request: AdminRequest, command: AdminCommand): Promise<void> {
  switch (command.kind) {
    case 'entities':
      return listEntities(request, command.page);
    case 'entity.enable':
    case 'entity.disable':
      return setEnabled(request, command.entity, command.kind === 'entity.enable');
    case 'entity.set': {
      const { kind: _kind, entity, ...change } = command;
      return setEntity(request, entity, change);
    }
    case 'cluster.status':
      return clusterStatus(request);
    case 'cluster.load':
      return clusterLoad(request, command.model, command.server);
    case 'cluster.unload':
      return clusterUnload(request, command.model, command.server);
    case 'markov.train':
      return markovTrain(request, command.channel ?? request.interaction.channelId);
    case 'markov.stats':
      return markovStats(request, command.channel ?? request.interaction.channelId);
    case 'markov.forget':
      return markovForget(request, command);
    case 'say':
      return say(request, command.entity, command.text);
  }
}

/** Registers /chorus in every guild of `client` (one bulk PUT per guild, on ready and on guildCreate) and answers its interactions. */
export function attachAdminCommands(
  client: Client,
  deps: AdminCommandDeps,
  options: AdminCommandOptions = {},
): { stop(): void } {
  const logger = deps.context.logger.child({ component: 'discord-admin' });
  const stopped = new AbortController();
  const signal = AbortSignal.any([deps.context.signal, stopped.signal]);
  const training = new Set<string>();
  const progressIntervalMs = options.progressIntervalMs ?? 2000;

  const register = (guild: Guild) => {
    client.application?.commands.set([chorusCommand()], guild.id).then(
      () => logger.info('registered /chorus', { guild: guild.id }),
      (error: unknown) =>
        logger.warn('registering /chorus failed', { guild: guild.id, error: String(error) }),
    );
  };
  const registerAll = (ready: Client<true>) => {
    for (const guild of ready.guilds.cache.values()) register(guild);
  };

  const isAdmin = (userId: string) => authorize(userId, deps.context.config.admins.discord).ok;

  const autocomplete = async (interaction: AutocompleteInteraction) => {
    const focused = interaction.options.getFocused(true);
    const choices =
      focused.name === 'entity' && isAdmin(interaction.user.id)
        ? entityChoices(deps.context.roster, String(focused.value))
        : [];
    await interaction.respond(choices);
  };

  const command = async (interaction: ChatInputCommandInteraction) => {
    const raw = interaction.options.data as readonly RawOption[];
    const path = commandPath(raw);
    const user = interaction.user.id;
    const allowed = authorize(user, deps.context.config.admins.discord);
    if (!allowed.ok) {
      logger.info('refused a /chorus command', { user, command: path, reason: allowed.reason });
      await answer(interaction, `Refused: ${allowed.reason}`);
      return;
    }
    if (!interaction.inGuild()) {
      await answer(interaction, '/chorus works in a server channel only');
      return;
    }
    const parsed = parseAdminCommand(raw);
    if (!parsed.ok) {
      await answer(interaction, `${path}: ${parsed.error}`);
      return;
    }
    logger.info('running a /chorus command', { user, command: path });
    const request: AdminRequest = { interaction, deps, logger, signal, progressIntervalMs, training };
    try {
      await run(request, parsed.command);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // An AdminCommandError is the admin's to fix (a wrong name, nothing to do); anything else is ours.
      if (error instanceof AdminCommandError) {
        logger.info('a /chorus command was refused', { user, command: path, error: reason });
      } else logger.warn('a /chorus command failed', { user, command: path, error: reason });
      await answer(interaction, `${path} failed: ${reason}`);
    }
  };

  const onInteraction = (interaction: Interaction) => {
    let handled: Promise<void> | undefined;
    if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME)
      handled = command(interaction);
    else if (interaction.isAutocomplete() && interaction.commandName === COMMAND_NAME)
      handled = autocomplete(interaction);
    handled?.catch((error: unknown) => {
      // Answering itself failed (the interaction expired, the client went away): nothing left to tell the admin.
      logger.warn('answering a /chorus interaction failed', { error: String(error) });
    });
  };

  client.on(Events.ClientReady, registerAll);
  client.on(Events.GuildCreate, register);
  client.on(Events.InteractionCreate, onInteraction);
  if (client.isReady()) registerAll(client);

  return {
    stop(): void {
      stopped.abort();
      client.off(Events.ClientReady, registerAll);
      client.off(Events.GuildCreate, register);
      client.off(Events.InteractionCreate, onInteraction);
    },
  };
}
