// The responder: asks the generator for one entity's reply within a deadline, then post-processes it
// and splits it into parts for the platform.
import { DeadlineSignals } from '../../core/deadline-signals.js';
import type { Logger } from '../../core/logger.js';
import type { ReplySource, StoredMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';
import { postProcess, splitIntoParts } from '../../entities/post-process.js';
import { keywords } from '../analyzer/index.js';
import type { Generator } from '../generation/index.js';

export interface ResponderOptions {
  generator: Generator;
  logger: Logger;
  /** Deadline for one reply, in ms. */
  timeoutMs: number;
  maxReplyLength: number;
  /** Largest part a platform accepts (characters); longer replies are split. */
  partLimit: (platform: StoredMessage['platform']) => number;
  /** Aborts every generation in flight (shutdown). */
  signal?: AbortSignal;
}

export interface Reply {
  entityId: string;
  parts: string[];
  source: ReplySource;
}

export class Responder {
  readonly #deadlines: DeadlineSignals;

  constructor(private readonly options: ResponderOptions) {
    this.#deadlines = new DeadlineSignals(options.signal);
  }

  async respond(
    entity: EntityConfig,
    message: StoredMessage,
    history: readonly StoredMessage[],
    onPartial?: (text: string) => void,
  ): Promise<Reply | null> {
    const { generator, logger, timeoutMs } = this.options;
    const window = history.length > entity.nom ? history.slice(history.length - entity.nom) : history;
    const result = await generator.generate({
      entity,
      message,
      history: window,
      keywords: keywords(message.text),
      signal: this.#deadlines.after(timeoutMs),
      ...(onPartial && { onPartial }),
    });
    if (!result) {
      logger.warn('no generator produced a reply', { entity: entity.id, message: message.id });
      return null;
    }
    const text = postProcess(result.text, {
      filterOut: entity.filterOut,
      trimAfter: entity.trimAfter,
      trimWhitespace: entity.trimWhitespace,
      maxLength: this.options.maxReplyLength,
    });
    if (!text) {
      logger.info('reply was empty after post-processing', {
        entity: entity.id,
        generator: result.generator,
      });
      return null;
    }
    return {
      entityId: entity.id,
      parts: splitIntoParts(text, this.options.partLimit(message.platform)),
      source: result.source,
    };
  }
}
