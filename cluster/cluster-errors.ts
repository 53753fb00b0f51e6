// Why the cluster could not answer, with stable codes: the generator chain then asks the Markov fallback.
export type ClusterErrorCode =
  /** No server is configured, enabled, healthy and closed-breakered, or none has the model. */
  | 'no_server'
  /** Every server was tried (up to `maxRetries` + 1) and failed. */
  | 'all_failed'
  /** The request queue is full. */
  | 'queue_full'
  /** The model could not be placed: too large, or not downloaded on any usable server. */
  | 'placement_failed'
  /** It would fit only by unloading models in use: the request waits for one to end (never reaches callers). */
  | 'placement_busy'
  /** The caller gave up (deadline or shutdown). */
  | 'aborted';

export class ClusterError extends Error {
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClusterError';
  }
}
