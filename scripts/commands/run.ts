// `chorus run`: starts the fleet and keeps it running until SIGINT or SIGTERM.
import { resolve } from 'node:path';
import { createLogger, type LogLevel } from '../../core/logger.js';
import { SecretRedactor } from '../../core/secret.js';
import { ConfigError, loadConfig } from '../../entities/config/index.js';
import { startFleet } from '../fleet.js';
import { stderrSink } from '../log-sink.js';
import { untilSignal } from './until-signal.js';
import type { CommandIo } from './command-io.js';

export const runHelp = `Usage: chorus run [--config FILE] [--data DIR] [--host HOST] [--port N]

Starts the fleet. With no platform credentials it still runs: the web playground
is served at http://127.0.0.1:4000 by default.

  --config FILE   the fleet config (default: ./config-aientities.json)
  --data DIR      where the SQLite database lives (default: ./data)
  --host HOST     address the playground binds to (default: platforms.web.host, 127.0.0.1)
  --port N        port of the playground (default: platforms.web.port, 4000; 0 picks a free one)`;

export interface RunArgs {
  config: string;
  data: string;
  host?: string | undefined;
  port?: number | undefined;
}

export async function run(args: RunArgs, io: CommandIo): Promise<number> {
  let level: LogLevel = 'info';
  const redactor = new SecretRedactor();
  try {
    const { config, secrets } = loadConfig(args.config, io.env);
    level = config.botSettings.logLevel ?? (config.botSettings.enableConsoleLogs ? 'info' : 'warn');
    for (const secret of secrets.values()) redactor.add(secret);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return 1;
  }
  const logger = createLogger(stderrSink(redactor), level);
  const fleet = await startFleet({
    configFile: args.config,
    dataDir: resolve(args.data),
    ...(args.host !== undefined && { host: args.host }),
    ...(args.port !== undefined && { port: args.port }),
    env: io.env,
    logger,
  });
  if (fleet.url) io.out(`Chorus playground: ${fleet.url}`);
  await untilSignal(() => fleet.stop(), logger);
  return 0;
}
