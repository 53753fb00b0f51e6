// Keeps a long-running command (`chorus run`, `chorus sim`) alive until SIGINT or SIGTERM, then stops it once.
import type { Logger } from '../../core/logger.js';

export function untilSignal(stop: () => Promise<void>, logger?: Logger): Promise<void> {
  return new Promise<void>((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger?.info('signal received', { signal });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().then(done);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
