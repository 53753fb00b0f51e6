// The error for training input that cannot be used: it names the file and, where it applies, the line.

export class TrainingInputError extends Error {
  readonly code = 'CHORUS_TRAINING_INPUT';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
    this.name = 'TrainingInputError';
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/** A TrainingInputError for a failed file-system call (passes TrainingInputErrors through). */
export function fileError(file: string, err: unknown): TrainingInputError {
  if (err instanceof TrainingInputError) return err;
  switch (errorCode(err)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new TrainingInputError(file, undefined, 'file not found');
    case 'EISDIR':
      return new TrainingInputError(file, undefined, 'is a directory, not a file');
    case 'EACCES':
    case 'EPERM':
      return new TrainingInputError(file, undefined, 'permission denied');
    default:
      return new TrainingInputError(
        file,
        undefined,
        `cannot read: ${err instanceof Error ? err.message : String(err)}`,
      );
  }
}
