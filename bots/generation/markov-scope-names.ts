// Which stored Markov scopes an entity answers from and a message trains. Names: `channel:<platform>:<channel>`
// (the channel's own history), `entity:<id>` (the persona's seed text plus its channels), `seed:<id>` (the seed
// text alone, the fallback while a channel's chain cannot answer yet), or a configured name shared by the
// entities naming it (which `chorus train --scope NAME` can also train).
import type { Platform } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';

export const channelScope = (platform: Platform, channel: string): string => `channel:${platform}:${channel}`;
export const entityScope = (entityId: string): string => `entity:${entityId}`;
export const seedScope = (entityId: string): string => `seed:${entityId}`;

type Where = { platform: Platform; channel: string };

/** The scope an entity answers from in a conversation. */
export function primaryScope(entity: EntityConfig, where: Where): string {
  const scope = entity.markov.scope;
  if (scope === 'channel') return channelScope(where.platform, where.channel);
  if (scope === 'entity') return entityScope(entity.id);
  return scope;
}

/** The scopes an entity's reply is tried from, in order: its own, then its seed text when that is separate. */
export function replyScopes(entity: EntityConfig, where: Where): string[] {
  const scopes = [primaryScope(entity, where)];
  if (entity.markov.seedText.length > 0 && entity.markov.scope !== 'entity')
    scopes.push(seedScope(entity.id));
  return scopes;
}

/** The scopes a human message in a conversation trains: every primary scope of the entities there, once each. */
export function trainedScopes(entities: readonly EntityConfig[], where: Where): Map<string, EntityConfig> {
  const scopes = new Map<string, EntityConfig>();
  for (const entity of entities) {
    const scope = primaryScope(entity, where);
    if (!scopes.has(scope)) scopes.set(scope, entity);
  }
  return scopes;
}
