// The Markov fallback as a Generator. Each entity answers from its scope: the channel's own history (default),
// its seed text and channels ("entity"), or a named shared scope; when the channel's chain cannot answer yet,
// the entity's seed text does. Human messages train the chains as they arrive.
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../core/logger.js';
import type { Platform, StoredMessage } from '../../core/message.js';
import type { Random } from '../../core/random.js';
import type { EntityConfig, MarkovSettings } from '../../entities/config/index.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import { MarkovModel } from '../../markov/markov-model.js';
import type { InboxRepository } from '../../store/index.js';
import type { GenerationRequest, GenerationResult, Generator } from './generator.js';

export interface MarkovGeneratorOptions {
  roster: EntityRoster;
  /** The playground's channels, for entities configured with `"*"`. */
  webChannels: readonly string[];
  inbox: InboxRepository;
  settings: MarkovSettings;
  random: Random;
  logger: Logger;
}

const channelScope = (m: Pick<StoredMessage, 'platform' | 'channel'>) => `channel:${m.platform}:${m.channel}`;

export class MarkovGenerator implements Generator {
  readonly name = 'markov';
  /** Seed-text, entity and named scopes: few, kept for the life of the fleet. */
  readonly #fixed = new Map<string, MarkovModel>();
  /** Channel scopes: many, rebuilt from the inbox on demand. */
  readonly #channels: LRUCache<string, MarkovModel>;

  constructor(private readonly o: MarkovGeneratorOptions) {
    this.#channels = new LRUCache({ max: o.settings.maxChannelChains });
    for (const entity of o.roster.all()) {
      const seed = this.#fixedModel(`seed:${entity.id}`, entity.markov.stateSize);
      for (const line of entity.markov.seedText) seed.learn(line);
    }
  }

  /** The conversations an entity speaks in, for rebuilding its own scope from the inbox. */
  #channelsOf(entity: EntityConfig): [Platform, string][] {
    const { web, discord, signal } = entity.platforms;
    const pairs: [Platform, string][] = [];
    if (web.enabled) {
      for (const c of web.channels.includes('*') ? this.o.webChannels : web.channels) pairs.push(['web', c]);
    }
    if (discord?.enabled) for (const c of discord.channels) pairs.push(['discord', c]);
    if (signal?.enabled) for (const c of signal.groups) pairs.push(['signal', c]);
    return pairs;
  }

  /**
   * The entity's own scope: its seed text plus the human messages of its channels, read back from the inbox
   * (those before `beforeId`) the first time it is needed, so a restart forgets nothing.
   */
  #entityModel(entity: EntityConfig, beforeId: number): MarkovModel {
    const key = `entity:${entity.id}`;
    let model = this.#fixed.get(key);
    if (!model) {
      model = this.#fixedModel(key, entity.markov.stateSize);
      for (const line of entity.markov.seedText) model.learn(line);
      for (const [platform, channel] of this.#channelsOf(entity)) {
        const texts = this.o.inbox.humanTexts(platform, channel, beforeId, this.o.settings.historyOnStart);
        for (const text of texts) model.learn(text);
      }
    }
    return model;
  }

  #fixedModel(key: string, stateSize: number): MarkovModel {
    let model = this.#fixed.get(key);
    if (!model) {
      model = new MarkovModel(stateSize);
      this.#fixed.set(key, model);
    }
    return model;
  }

  /** The channel's model, rebuilt from the channel's human messages before `beforeId` the first time. */
  #channelModel(message: StoredMessage, stateSize = 2): MarkovModel {
    const key = channelScope(message);
    let model = this.#channels.get(key);
    if (!model) {
      model = new MarkovModel(stateSize);
      const texts = this.o.inbox.humanTexts(
        message.platform,
        message.channel,
        message.id,
        this.o.settings.historyOnStart,
      );
      for (const text of texts) model.learn(text);
      this.#channels.set(key, model);
    }
    return model;
  }

  #scopesFor(entity: EntityConfig, message: StoredMessage): MarkovModel[] {
    const scope = entity.markov.scope;
    const primary =
      scope === 'channel'
        ? this.#channelModel(message, entity.markov.stateSize)
        : scope === 'entity'
          ? this.#entityModel(entity, message.id)
          : this.#fixedModel(`named:${scope}`, entity.markov.stateSize);
    const seed = this.#fixed.get(`seed:${entity.id}`);
    return seed && seed !== primary ? [primary, seed] : [primary];
  }

  /**
   * Trains on a message as it arrives (human messages only; bots' words would echo themselves). A model that does
   * not exist yet is not trained but created: creating it reads the history up to and including this message.
   * A channel chain is only created when an entity there answers from it; one created later reads the inbox.
   */
  learn(message: StoredMessage): void {
    if (!this.o.settings.trainOnMessages || message.isBot || !message.text.trim()) return;
    const text = message.text;
    const entities = this.o.roster.cast(message.platform, message.channel).entities;
    const channel = this.#channels.get(channelScope(message));
    if (channel) channel.learn(text);
    else if (entities.some((e) => e.markov.scope === 'channel')) {
      this.#channelModel({ ...message, id: message.id + 1 });
    }
    const named = new Set<string>();
    for (const entity of entities) {
      const scope = entity.markov.scope;
      if (scope === 'entity') {
        const own = this.#fixed.get(`entity:${entity.id}`);
        if (own) own.learn(text);
        else this.#entityModel(entity, message.id + 1);
      } else if (scope !== 'channel' && !named.has(scope)) {
        named.add(scope);
        this.#fixedModel(`named:${scope}`, entity.markov.stateSize).learn(text);
      }
    }
  }

  async generate(request: GenerationRequest): Promise<GenerationResult | null> {
    const { minWords, maxWords, maxTries } = this.o.settings;
    for (const model of this.#scopesFor(request.entity, request.message)) {
      const outcome = model.reply({
        keywords: request.keywords,
        random: this.o.random,
        minWords,
        maxWords,
        maxTries,
      });
      if (outcome.ok) return { text: outcome.text, source: 'markov', generator: this.name };
    }
    this.o.logger.info('markov could not build a reply', {
      entity: request.entity.id,
      message: request.message.id,
    });
    return null;
  }
}
