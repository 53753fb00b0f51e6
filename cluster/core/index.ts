// The cluster's pure decision modules: per-server breaker and state, server choice per strategy, memory-aware
// placement with LRU eviction, the bounded priority queue of waiting requests, and single-flight coalescing.
// No I/O and no timers here: the HTTP wiring passes `now` and carries out the plans.
export {
  CircuitBreaker,
  DefaultCircuitBreakerOptions,
  type BreakerSnapshot,
  type BreakerState,
  type CircuitBreakerOptions,
  type FailureOptions,
} from './circuit-breaker.js';
export {
  BYTES_PER_GB,
  ServerState,
  compareServerNames,
  type DiscoveredModel,
  type LoadedModel,
  type RecentError,
  type ServerSnapshot,
  type ServerStateOptions,
} from './server-state.js';
export {
  RoundRobinCursor,
  chooseServer,
  type LoadBalancingStrategy,
  type ServerChoice,
} from './strategies.js';
export {
  planEviction,
  planPlacement,
  planPrewarm,
  type EvictionTarget,
  type ModelSize,
  type PlacementFailure,
  type PlacementPlan,
  type PrewarmPlan,
} from './placement.js';
export {
  DefaultRequestQueueOptions,
  QueueFullError,
  RequestQueue,
  type RequestQueueOptions,
} from './request-queue.js';
export { SingleFlight } from './single-flight.js';
