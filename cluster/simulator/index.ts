// The LM Studio simulator's public surface: start one, drive its faults, read its state.
export { LmStudioSimulator, startLmStudioSimulator, type InstanceSnapshot } from './simulator.js';
export {
  DEFAULT_SIMULATOR_MODELS,
  DefaultSimulatorOptions,
  realSleep,
  resolveSimulatorOptions,
  type LmStudioSimulatorOptions,
} from './simulator-options.js';
export { parseFault, SimulatorFaults, type FaultSnapshot, type FaultSpec } from './faults.js';
export {
  parseModelList,
  describeModel,
  type CatalogModel,
  type ModelSpec,
  type ModelType,
} from './model-catalog.js';
export type { VersionQuirk } from './lmstudio-errors.js';
export type { Sleep } from './model-residency.js';
export { ModelLoadRefusedError, SimulatorConfigError } from './simulator-errors.js';
