export { loadConfig, validateConfig, type LoadedConfig, type Environment } from './load-config.js';
export { ConfigError } from './config-error.js';
export {
  configSchema,
  LOAD_BALANCING_STRATEGIES,
  type ChorusConfig,
  type EntityConfig,
  type ServerConfig,
  type BotSettings,
  type MarkovSettings,
  type ClusterSettings,
} from './schema.js';
export { CHANNEL_NAME } from './checks.js';
