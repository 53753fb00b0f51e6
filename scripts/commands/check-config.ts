// `chorus check-config [FILE]`: validates a config; exit 0, or 1 with one line per problem naming its JSON path.
import { ConfigError, loadConfig } from '../../entities/config/index.js';
import type { CommandIo } from './command-io.js';

export const checkConfigHelp = `Usage: chorus check-config [FILE]

Validates a config file (default: ./config-aientities.json). Prints one line per problem,
naming its JSON path, and exits 1; prints warnings for keys Chorus does not use.`;

export function checkConfig(file: string, io: CommandIo): number {
  try {
    const { config, warnings } = loadConfig(file, io.env);
    for (const w of warnings) io.err(`warning: ${w}`);
    const enabled = config.entities.filter((e) => e.enabled).length;
    io.out(
      `${file}: ok (${config.entities.length} entities, ${enabled} enabled, ${config.lmStudioServers.length} LM Studio servers)`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) io.out(problem);
    return 1;
  }
}
