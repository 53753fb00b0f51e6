// Errors the simulator itself throws (bad options, a refused load), each with a stable `code` to match on.
// What the simulator answers over HTTP is in lmstudio-errors.ts; these are for its Node callers.

/** An option or command-line value the simulator cannot use; the message names the option. */
export class SimulatorConfigError extends Error {
  readonly code = 'CHORUS_SIM_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}

/** A load that does not fit in the memory left, as LM Studio's load guardrails refuse it. */
export class ModelLoadRefusedError extends Error {
  readonly code = 'CHORUS_SIM_LOAD_REFUSED';

  constructor(
    readonly model: string,
    readonly neededBytes: number,
    readonly freeBytes: number,
  ) {
    super(`model "${model}" needs ${neededBytes} bytes, ${freeBytes} free`);
    this.name = 'ModelLoadRefusedError';
  }
}
