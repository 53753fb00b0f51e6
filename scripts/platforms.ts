// The chat platforms the fleet starts, in order. Each platform's code (discord.js; axios, ws and node-cron for
// Signal) is loaded only when the config enables it, so a fleet without them stays small and starts fast. The
// web playground is built into the fleet itself.
import type { PlatformContext, PlatformStarter } from '../bots/platform.js';

const whenEnabled =
  (enabled: (context: PlatformContext) => boolean, load: () => Promise<PlatformStarter>): PlatformStarter =>
  async (context) =>
    enabled(context) ? (await load())(context) : undefined;

export const PLATFORM_STARTERS: readonly PlatformStarter[] = [
  whenEnabled(
    (c) => c.config.platforms.discord.enabled,
    async () => (await import('../bots/discord/index.js')).startDiscordPlatform,
  ),
  whenEnabled(
    (c) => c.config.platforms.signal.enabled,
    async () => (await import('../bots/signal/index.js')).startSignalPlatform,
  ),
];
