// The Markov fallback as a Generator. Each entity answers from its stored scope (see markov-scope-names.ts),
// falling back to its seed text while that scope cannot answer yet; the reply is built on a thread of the worker
// pool, never on the event loop. Training is MarkovTraining's job.
import type { Logger } from '../../core/logger.js';
import type { Random } from '../../core/random.js';
import type { MarkovSettings } from '../../entities/config/index.js';
import type { MarkovPool } from '../../workers/markov-pool.js';
import type { GenerationRequest, GenerationResult, Generator } from './generator.js';
import { replyScopes } from './markov-scope-names.js';
import type { MarkovTraining } from './markov-training.js';

export interface MarkovGeneratorOptions {
  pool: MarkovPool;
  training: MarkovTraining;
  settings: MarkovSettings;
  random: Random;
  logger: Logger;
}

export class MarkovGenerator implements Generator {
  readonly name = 'markov';

  constructor(private readonly o: MarkovGeneratorOptions) {}

  /**
   * Ignores the deadline: the pool cannot stop a task without losing its thread's hot chains, and the task takes
   * milliseconds. A late fallback answer beats none (see GeneratorChain).
   */
  async generate(request: GenerationRequest): Promise<GenerationResult | null> {
    const { entity, message } = request;
    const scopes = replyScopes(entity, message);
    for (const scope of scopes) this.o.training.ensure(scope, entity, message, message.id);
    const { minWords, maxWords, maxTries } = this.o.settings;
    const answer = await this.o.pool.generate({
      scopes,
      keywords: [...request.keywords],
      seed: Math.floor(this.o.random() * 2 ** 32),
      minWords,
      maxWords,
      maxTries,
    });
    if (answer.ok) return { text: answer.text, source: 'markov', generator: this.name };
    this.o.logger.info('markov could not build a reply', {
      entity: entity.id,
      message: message.id,
      reason: answer.reason,
      tries: answer.tries,
    });
    return null;
  }
}
