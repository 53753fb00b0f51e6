// The Discord platform's public surface: the starter the fleet registers, and its tunable timings for tests.
export {
  startDiscordPlatform,
  startDiscordPlatformWith,
  DefaultDiscordPlatformTuning,
  type DiscordPlatformTuning,
} from './discord-platform.js';
export type { ConnectionState } from './entity-connections.js';
export { DISCORD_MESSAGE_LIMIT } from './reply-payload.js';
