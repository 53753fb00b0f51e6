// The websocket receiver's reconnect delays (exported for other retry loops): exponential from initialMs, capped
// at maxMs, with "equal jitter" (50–100 % of the step) so many bots restarting together do not retry in step.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Delay before retry number `attempt` (0-based). `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function checkBackoff(owner: string, options: BackoffOptions): void {
  if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
    throw new Error(
      `${owner}: backoff needs 0 < initialMs <= maxMs, got ${options.initialMs} / ${options.maxMs}`,
    );
  }
}
