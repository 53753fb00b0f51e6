// The Generator seam: where reply text comes from. The LM Studio cluster and the Markov fallback implement it;
// when neither can answer (no server answered and the fallback is off), UnavailableGenerator says so plainly
// instead of pretending to be a model.
import type { ReplySource, StoredMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';

export interface GenerationRequest {
  entity: EntityConfig;
  /** The message being answered. */
  message: StoredMessage;
  /** The entity's context window: up to `nom` messages before `message`, oldest first. */
  history: readonly StoredMessage[];
  /** Content words of the message, for seeding. */
  keywords: readonly string[];
  /** Aborted when the deadline passes or the fleet shuts down. */
  signal: AbortSignal;
  /** Called with the whole text so far while a generator streams (the cluster does; Markov answers at once). */
  onPartial?: (text: string) => void;
}

export interface GenerationResult {
  text: string;
  source: ReplySource;
  /** Which generator produced it (for logs and the dashboard). */
  generator: string;
}

export interface Generator {
  readonly name: string;
  /** Resolves to a result, or null when this generator has nothing to say (the next one is asked). */
  generate(request: GenerationRequest): Promise<GenerationResult | null>;
}

export class UnavailableGenerator implements Generator {
  readonly name = 'unavailable';

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    return {
      text: `(${request.entity.username} has no generator available: no LM Studio server could answer and the Markov fallback is off.)`,
      source: 'none',
      generator: this.name,
    };
  }
}
