// /chorus entity enable|disable|set: changes an entity in the running fleet (the roster and the rate limiter), not
// in the config file, so a restart brings the configured values back.
import type { EntityConfig } from '../../../entities/config/index.js';
import type { PostingLimits } from '../../../entities/rate-limiter.js';
import type { EntityChange } from './admin-command.js';
import { answer, type AdminRequest } from './admin-request.js';
import { limitsText } from './entities-command.js';
import { findEntity } from './entity-lookup.js';

const UNTIL_RESTART = '(until restart; edit the config to keep it)';

export async function setEnabled(request: AdminRequest, name: string, enabled: boolean): Promise<void> {
  const { roster } = request.deps.context;
  const entity = findEntity(roster, name);
  roster.update(entity.id, { enabled });
  request.logger.info(enabled ? 'entity enabled by an admin' : 'entity disabled by an admin', {
    entity: entity.id,
    user: request.interaction.user.id,
  });
  const was = entity.enabled === enabled ? ` (it already was)` : '';
  await answer(
    request.interaction,
    `${entity.username} is ${enabled ? 'enabled' : 'disabled'}${was} ${UNTIL_RESTART}`,
  );
}

/** The entity's rate limits with the change applied (0 clears a per-minute or per-hour limit). */
export function changedLimits(
  current: EntityConfig['rateLimits'],
  change: EntityChange,
): EntityConfig['rateLimits'] {
  const next = { ...current };
  if (change.minSecondsBetweenPosts !== undefined)
    next.minSecondsBetweenPosts = change.minSecondsBetweenPosts;
  if (change.maxPostsPerMinute !== undefined) {
    next.maxPostsPerMinute = change.maxPostsPerMinute === 0 ? undefined : change.maxPostsPerMinute;
  }
  if (change.maxPostsPerHour !== undefined) {
    next.maxPostsPerHour = change.maxPostsPerHour === 0 ? undefined : change.maxPostsPerHour;
  }
  return next;
}

export function postingLimits(limits: EntityConfig['rateLimits']): PostingLimits {
  return {
    minGapMs: limits.minSecondsBetweenPosts * 1000,
    maxPerMinute: limits.maxPostsPerMinute,
    maxPerHour: limits.maxPostsPerHour,
  };
}

export async function setEntity(request: AdminRequest, name: string, change: EntityChange): Promise<void> {
  const { roster, limiter } = request.deps.context;
  const entity = findEntity(roster, name);
  const rateLimits = changedLimits(entity.rateLimits, change);
  const responseChance = change.responseChance ?? entity.responseChance;
  roster.update(entity.id, { responseChance, rateLimits });
  limiter.setLimits(entity.id, postingLimits(rateLimits));
  request.logger.info('entity changed by an admin', {
    entity: entity.id,
    user: request.interaction.user.id,
    responseChance,
    rateLimits,
  });
  await answer(
    request.interaction,
    [
      `${entity.username} changed ${UNTIL_RESTART}:`,
      `chance ${entity.responseChance} → ${responseChance}`,
      `limits: ${limitsText(entity.rateLimits)} → ${limitsText(rateLimits)}`,
    ].join('\n'),
  );
}
