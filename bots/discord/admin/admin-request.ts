// What every /chorus handler gets: the interaction, the fleet's parts, a logger, and a signal aborted when Chorus
// shuts down or the commands are detached; plus the two ways a handler answers (always ephemeral).
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.js';
import type { PlatformContext } from '../../platform.js';
import { truncate } from './message-pages.js';

export interface AdminCommandDeps {
  context: PlatformContext;
  /** Posts `text` as the entity in a channel (its own bot, or a webhook for token-less entities); resolves to the message id. */
  speak(entityId: string, channelId: string, text: string): Promise<string>;
  /** Each Discord entity's connection state, for /chorus entities. */
  connections(): ReadonlyMap<string, 'ready' | 'connecting' | 'failed' | 'webhook'>;
}

export interface AdminCommandOptions {
  /** Least time between two edits of a long command's progress message, in ms (default 2000). */
  progressIntervalMs?: number;
}

export interface AdminRequest {
  interaction: ChatInputCommandInteraction;
  deps: AdminCommandDeps;
  logger: Logger;
  signal: AbortSignal;
  progressIntervalMs: number;
  /** Channels a `markov train` is running in (one at a time per channel). */
  training: Set<string>;
}

/** A failure to report to the admin as it is (a bad entity name, nothing to do). */
export class AdminCommandError extends Error {}

/** Acknowledges now, ephemerally, before work that may take longer than Discord's 3 s. */
export async function defer(interaction: ChatInputCommandInteraction): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  }
}

/** Answers (or replaces the deferred answer) with text cut to Discord's limit; mentions never ping. */
export async function answer(interaction: ChatInputCommandInteraction, text: string): Promise<void> {
  const body = { content: truncate(text), allowedMentions: { parse: [] } };
  if (interaction.deferred || interaction.replied) await interaction.editReply(body);
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}
