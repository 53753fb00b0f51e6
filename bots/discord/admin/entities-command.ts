// /chorus entities: every entity with whether it is enabled, its Discord connection, its response chance, its
// rate limits and where it stands against them now; paged to fit Discord's message limit.
import type { EntityConfig } from '../../../entities/config/index.js';
import type { RateState } from '../../../entities/rate-limiter.js';
import { answer, type AdminRequest } from './admin-request.js';
import { paginate } from './message-pages.js';
import { formatDuration } from './train-progress.js';

export function limitsText(limits: EntityConfig['rateLimits']): string {
  const parts: string[] = [];
  if (limits.minSecondsBetweenPosts > 0) parts.push(`≥${limits.minSecondsBetweenPosts}s apart`);
  if (limits.maxPostsPerMinute !== undefined) parts.push(`≤${limits.maxPostsPerMinute}/min`);
  if (limits.maxPostsPerHour !== undefined) parts.push(`≤${limits.maxPostsPerHour}/h`);
  return parts.length > 0 ? parts.join(', ') : 'no limits';
}

export function rateStateText(state: RateState | undefined, now: number): string {
  if (!state) return 'no posts recorded';
  const wait = state.nextAllowedAt - now;
  const next = wait > 0 ? `next post in ${formatDuration(wait)}` : 'may post now';
  return `${state.postsLastMinute} posts in the last minute, ${state.postsLastHour} in the last hour, ${next}`;
}

export function entityBlock(
  entity: EntityConfig,
  connection: string | undefined,
  state: RateState | undefined,
  now: number,
): string {
  const discord = entity.platforms.discord ? `discord: ${connection ?? 'not connected'}` : 'not on Discord';
  return [
    `**${entity.username}** \`${entity.id}\` — ${entity.enabled ? 'enabled' : '**disabled**'}, ${discord}`,
    `  chance ${entity.responseChance}; limits: ${limitsText(entity.rateLimits)}; ${rateStateText(state, now)}`,
  ].join('\n');
}

export async function listEntities(request: AdminRequest, page: number): Promise<void> {
  const { roster, limiter, clock } = request.deps.context;
  const connections = request.deps.connections();
  const now = clock.now();
  const entities = roster.all();
  const blocks = entities.map((e) => entityBlock(e, connections.get(e.id), limiter.state(e.id), now));
  const enabled = entities.filter((e) => e.enabled).length;
  const pages = paginate(`**Entities** (${enabled} of ${entities.length} enabled)`, blocks);
  await answer(request.interaction, pages[Math.min(page, pages.length) - 1] as string);
}
