// Morning briefings over Signal: the service E's Signal platform starts (and whose `/brief` command it
// routes), and the pieces tests and tools use directly.
export {
  BriefingService,
  type BriefingServiceOptions,
  type BriefingContext,
  type BriefingStatus,
} from './briefing-service.js';
export { BriefCommand } from './brief-command.js';
export { NodeCronScheduler, type BriefingScheduler } from './cron-scheduler.js';
export {
  SourceFactGatherer,
  type FactGatherer,
  type FactRequest,
  type BriefingFacts,
} from './fact-gatherer.js';
export type { BriefingSubscription, BriefingLocation } from './subscription-repository.js';
export { RunClaims, type BriefingRun } from './run-claims.js';
