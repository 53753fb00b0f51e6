// Feeds the stored Markov scopes from the fleet (main thread, store writes only; the chain work happens in the
// worker pool when a scope is next used): each human message trains the scopes of the entities in its channel
// as it arrives, a deleted or edited one is untrained, and a scope created now starts from the history the inbox
// already holds, so a persona added to a busy channel does not start from nothing.
import { createHash } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { Platform, StoredMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { MarkovScopes } from '../../markov/markov-scopes.js';
import type { InboxRepository, ScopeRows, TrainingRow } from '../../store/index.js';
import { channelScope, entityScope, seedScope, trainedScopes } from './markov-scope-names.js';

export interface MarkovTrainingOptions {
  scopes: MarkovScopes;
  inbox: InboxRepository;
  roster: EntityRoster;
  /** The playground's channels, for entities configured with `"*"`. */
  webChannels: readonly string[];
  /** Human messages per channel the inbox holds that a new scope starts from. */
  historyOnStart: number;
  logger: Logger;
}

type Where = { platform: Platform; channel: string };

const SEED = 'seed:';
const seedSource = (line: string) => SEED + createHash('sha1').update(line).digest('hex').slice(0, 16);
const inboxSource = (id: number) => `inbox:${id}`;
const seedRows = (entity: EntityConfig): TrainingRow[] =>
  entity.markov.seedText.map((text) => ({ source: seedSource(text), text }));
/** For scopes that cover no particular channel. */
const NOWHERE: Where = { platform: 'web', channel: '' };

export class MarkovTraining {
  /** Scopes known to exist (created or checked in this run). */
  readonly #known = new Set<string>();

  constructor(private readonly o: MarkovTrainingOptions) {}

  /** The conversations an entity speaks in. */
  #channelsOf(entity: EntityConfig): Where[] {
    const { web, discord, signal } = entity.platforms;
    const where: Where[] = [];
    if (web.enabled) {
      for (const c of web.channels.includes('*') ? this.o.webChannels : web.channels) {
        where.push({ platform: 'web', channel: c });
      }
    }
    if (discord?.enabled) for (const c of discord.channels) where.push({ platform: 'discord', channel: c });
    if (signal?.enabled) for (const c of signal.groups) where.push({ platform: 'signal', channel: c });
    return where;
  }

  #history(where: Where, beforeId: number): TrainingRow[] {
    return this.o.inbox
      .humanMessages(where.platform, where.channel, beforeId, this.o.historyOnStart)
      .map((m) => ({ source: inboxSource(m.id), text: m.text }));
  }

  /** What a scope created now starts from: the seed text and the history of the channels it covers. */
  #startingRows(scope: string, entity: EntityConfig, where: Where, beforeId: number): TrainingRow[] {
    if (scope === entityScope(entity.id)) {
      return [
        ...seedRows(entity),
        ...this.#channelsOf(entity).flatMap((channel) => this.#history(channel, beforeId)),
      ];
    }
    if (scope === channelScope(where.platform, where.channel)) return this.#history(where, beforeId);
    return [];
  }

  /** Makes sure a scope of the entity exists, filling one created now (history before `beforeId`). */
  ensure(scope: string, entity: EntityConfig, where: Where, beforeId: number): void {
    if (this.#known.has(scope)) return;
    const { scopes } = this.o;
    if (scopes.ensure(scope, entity.markov.stateSize)) {
      const rows = this.#startingRows(scope, entity, where, beforeId);
      scopes.add(scope, entity.markov.stateSize, rows);
      this.o.logger.debug('markov scope created', { scope, messages: rows.length });
    }
    this.#known.add(scope);
  }

  /**
   * Puts every entity's current seed text into the scope holding it (its entity scope, or else its seed scope),
   * and untrains lines that are no longer configured.
   */
  syncSeeds(): void {
    for (const entity of this.o.roster.all()) {
      const rows = seedRows(entity);
      const scope = entity.markov.scope === 'entity' ? entityScope(entity.id) : seedScope(entity.id);
      if (rows.length === 0 && scope === seedScope(entity.id) && !this.o.scopes.scope(scope)) continue;
      this.ensure(scope, entity, NOWHERE, Number.MAX_SAFE_INTEGER);
      this.o.scopes.add(scope, entity.markov.stateSize, rows);
      const current = new Set(rows.map((r) => r.source));
      for (const source of this.o.scopes.sources(scope, SEED)) {
        if (!current.has(source)) this.o.scopes.remove(scope, source);
      }
    }
  }

  /**
   * What a human message trains as it arrives: a row for the scope of each entity in its channel (those scopes
   * are created now if needed). The engine stores the rows with the message's commit, so a message is trained
   * exactly once, crash or not.
   */
  trainingFor(message: StoredMessage): ScopeRows[] | undefined {
    if (message.isBot || !message.text.trim()) return undefined;
    const entities = this.o.roster.cast(message.platform, message.channel).entities;
    const rows = [{ source: inboxSource(message.id), text: message.text }];
    const batches: ScopeRows[] = [];
    for (const [scope, entity] of trainedScopes(entities, message)) {
      this.ensure(scope, entity, message, message.id);
      batches.push({ scope, rows });
    }
    return batches.length > 0 ? batches : undefined;
  }

  /** Trains the scopes of the entities in the message's channel on a human message now (outside the engine). */
  learn(message: StoredMessage): void {
    const batches = this.trainingFor(message);
    if (batches) this.o.scopes.addToScopes(batches);
  }

  /** Untrains a message (deleted, or about to be trained again as edited) from the scopes it trained. */
  forget(message: StoredMessage): void {
    const entities = this.o.roster.cast(message.platform, message.channel).entities;
    for (const scope of trainedScopes(entities, message).keys()) {
      if (this.o.scopes.scope(scope)) this.o.scopes.remove(scope, inboxSource(message.id));
    }
  }

  /** The scopes a channel's human messages train (those of the enabled entities there). */
  scopesOf(platform: Platform, channel: string): string[] {
    const entities = this.o.roster.cast(platform, channel).entities;
    return [...trainedScopes(entities, { platform, channel }).keys()];
  }

  /**
   * Trains history imported from a platform (admin `markov train`) into the scopes of the entities in its channel,
   * straight into the store and never through the inbox; idempotent by each row's source (e.g.
   * `discord:<author>:<message>`). Returns how many rows were new, summed over the scopes.
   */
  trainImported(platform: Platform, channel: string, rows: readonly TrainingRow[]): number {
    const where = { platform, channel };
    const batches: ScopeRows[] = [];
    for (const [scope, entity] of trainedScopes(this.o.roster.cast(platform, channel).entities, where)) {
      this.ensure(scope, entity, where, Number.MAX_SAFE_INTEGER);
      if (rows.length > 0) batches.push({ scope, rows });
    }
    return batches.length > 0 ? this.o.scopes.addToScopes(batches) : 0;
  }

  /**
   * Untrains imported rows from a channel's scopes: those whose source starts with `prefix` and, when given, passes
   * `matches`. Returns how many rows were removed, summed over the scopes.
   */
  forgetImported(
    platform: Platform,
    channel: string,
    prefix: string,
    matches: (source: string) => boolean = () => true,
  ): number {
    let removed = 0;
    for (const scope of this.scopesOf(platform, channel)) {
      if (!this.o.scopes.scope(scope)) continue;
      for (const source of this.o.scopes.sources(scope, prefix)) {
        if (matches(source) && this.o.scopes.remove(scope, source)) removed++;
      }
    }
    return removed;
  }
}
