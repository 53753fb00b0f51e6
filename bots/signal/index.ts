// The Signal chat platform's public surface: its starter for scripts/platforms.ts, and the starter factory
// with test knobs.
export {
  startSignalPlatform,
  createSignalPlatformStarter,
  DefaultSignalPlatformOptions,
  type SignalPlatformOptions,
} from './signal-platform.js';
