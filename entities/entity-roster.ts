// The fleet's entities and where each one speaks. Answers "who is in this channel?" quickly (memoised per
// channel) and takes admin changes (enable/disable, new chance or limits) without a restart.
import { dmEntity, type Platform } from '../core/message.js';
import { MentionIndex } from '../bots/analyzer/mention-index.js';
import type { EntityConfig } from './config/index.js';

export interface ChannelCast {
  entities: EntityConfig[];
  mentions: MentionIndex;
}

function speaksIn(entity: EntityConfig, platform: Platform, channel: string): boolean {
  const p = entity.platforms;
  const dmOwner = dmEntity(channel);
  switch (platform) {
    case 'web':
      return p.web.enabled && (p.web.channels.includes('*') || p.web.channels.includes(channel));
    case 'discord':
      if (dmOwner !== undefined) return !!p.discord?.enabled && p.discord.dms && dmOwner === entity.id;
      return !!p.discord?.enabled && p.discord.channels.includes(channel);
    case 'signal':
      if (dmOwner !== undefined) return !!p.signal?.enabled && p.signal.dms && dmOwner === entity.id;
      return !!p.signal?.enabled && p.signal.groups.includes(channel);
  }
}

export class EntityRoster {
  readonly #byId = new Map<string, EntityConfig>();
  readonly #casts = new Map<string, ChannelCast>();

  constructor(entities: readonly EntityConfig[]) {
    for (const entity of entities) this.#byId.set(entity.id, { ...entity });
  }

  get(id: string): EntityConfig | undefined {
    return this.#byId.get(id);
  }

  all(): EntityConfig[] {
    return [...this.#byId.values()];
  }

  /** The enabled entities that speak in a channel, with a mention index over them. */
  cast(platform: Platform, channel: string): ChannelCast {
    const key = `${platform}:${channel}`;
    let cast = this.#casts.get(key);
    if (!cast) {
      const entities = this.all().filter((e) => e.enabled && speaksIn(e, platform, channel));
      cast = { entities, mentions: new MentionIndex(entities) };
      // Bounded: Discord and Signal channels come and go; a full map is simply rebuilt on demand.
      if (this.#casts.size >= 10_000) this.#casts.clear();
      this.#casts.set(key, cast);
    }
    return cast;
  }

  /** Applies a change to an entity (admin commands); returns the updated entity. */
  update(
    id: string,
    change: Partial<Pick<EntityConfig, 'enabled' | 'responseChance' | 'rateLimits'>>,
  ): EntityConfig {
    const entity = this.#byId.get(id);
    if (!entity) throw new Error(`unknown entity "${id}"`);
    const updated = { ...entity, ...change } as EntityConfig;
    this.#byId.set(id, updated);
    this.#casts.clear();
    return updated;
  }
}
