// The /chorus admin slash commands for Discord: registers the command in every guild of one client and answers
// its interactions. The adapter calls attachAdminCommands for the client that carries the commands.
import type { Client } from 'discord.js';
import type { PlatformContext } from '../../platform.js';

export interface AdminCommandDeps {
  context: PlatformContext;
  /** Posts `text` as the entity in a channel (its own bot, or a webhook for token-less entities); resolves to the message id. */
  speak(entityId: string, channelId: string, text: string): Promise<string>;
  /** Each Discord entity's connection state, for /chorus entities. */
  connections(): ReadonlyMap<string, 'ready' | 'connecting' | 'failed' | 'webhook'>;
}

/** Registers /chorus in every guild of `client` (one bulk PUT per guild, on ready and on guildCreate) and answers its interactions. */
export function attachAdminCommands(client: Client, deps: AdminCommandDeps): { stop(): void } {
  void client;
  void deps;
  return {
    stop(): void {
      // Nothing attached yet.
    },
  };
}
