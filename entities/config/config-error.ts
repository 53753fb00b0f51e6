// The error thrown for a config that cannot be used: one problem per line, each naming its JSON path.

export class ConfigError extends Error {
  readonly code = 'CHORUS_CONFIG_INVALID';

  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.join('\n')}`);
  }
}
