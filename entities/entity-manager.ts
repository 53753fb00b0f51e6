// Picks which candidates answer a message: certain ones first, then those whose chance roll succeeds,
// each only if the rate limiter lets it post, up to the per-message maximum. A certain candidate held back
// only briefly is deferred rather than dropped: a person who names an entity should get an answer.
import type { Random } from '../core/random.js';
import type { Candidate } from '../bots/analyzer/index.js';
import type { RateLimiter } from './rate-limiter.js';

export interface Selection {
  entityId: string;
  reason: Candidate['reason'];
  /** When the post was counted against the limits (release it if no reply is made). */
  postAt: number;
}

export interface Deferral {
  entityId: string;
  reason: Candidate['reason'];
  /** How long until the rate limit lets it post. */
  waitMs: number;
}

export interface SelectionOutcome {
  selected: Selection[];
  /** Certain candidates (mentioned, replied to) held back for at most `maxWaitMs`: worth waiting for. */
  deferred: Deferral[];
  /** Candidates that won their roll but were held back by a rate limit. */
  limited: string[];
}

export function selectResponders(
  candidates: readonly Candidate[],
  random: Random,
  limiter: RateLimiter,
  maxReplies: number,
  maxWaitMs = 0,
): SelectionOutcome {
  const certain: Candidate[] = [];
  const lucky: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.probability >= 1) certain.push(candidate);
    else if (random() < candidate.probability) lucky.push(candidate);
  }
  // Shuffle the lucky ones so the per-message cap does not always favour the entities listed first.
  for (let i = lucky.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lucky[i], lucky[j]] = [lucky[j] as Candidate, lucky[i] as Candidate];
  }
  const outcome: SelectionOutcome = { selected: [], deferred: [], limited: [] };
  for (const candidate of [...certain, ...lucky]) {
    if (outcome.selected.length + outcome.deferred.length >= maxReplies) break;
    const postAt = limiter.tryAcquire(candidate.entityId);
    if (postAt !== undefined) {
      outcome.selected.push({ entityId: candidate.entityId, reason: candidate.reason, postAt });
      continue;
    }
    const decision = limiter.check(candidate.entityId);
    const waitMs = decision.ok ? 0 : decision.retryAfterMs;
    if (candidate.probability >= 1 && waitMs <= maxWaitMs) {
      outcome.deferred.push({ entityId: candidate.entityId, reason: candidate.reason, waitMs });
    } else outcome.limited.push(candidate.entityId);
  }
  return outcome;
}
