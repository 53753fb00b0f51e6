// The chat platforms the fleet starts, in order. Each starter reads its own part of the config and resolves
// to undefined when that platform is disabled; the web playground is built into the fleet itself.
import { startDiscordPlatform } from '../bots/discord/index.js';
import type { PlatformStarter } from '../bots/platform.js';
import { startSignalPlatform } from '../bots/signal/index.js';

export const PLATFORM_STARTERS: readonly PlatformStarter[] = [startDiscordPlatform, startSignalPlatform];
