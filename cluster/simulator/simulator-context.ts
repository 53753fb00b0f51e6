// What every route handler may use: the simulator's state and settings, and the request it is answering.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Random } from '../../core/random.js';
import type { SimulatorFaults } from './faults.js';
import type { ModelCatalog } from './model-catalog.js';
import type { ModelResidency } from './model-residency.js';
import type { ResolvedSimulatorOptions } from './simulator-options.js';

export interface SimulatorContext {
  readonly options: ResolvedSimulatorOptions;
  readonly catalog: ModelCatalog;
  readonly residency: ModelResidency;
  readonly faults: SimulatorFaults;
  /** Seeded: completion ids and the error fault's rolls. */
  readonly random: Random;
}

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The path without the query string. */
  readonly path: string;
  /** Aborts when the client goes away or the simulator stops. */
  readonly signal: AbortSignal;
  readonly sim: SimulatorContext;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;
