// Asks generators in order until one answers: the cluster first, then the fallbacks. A fallback is asked
// even when the deadline has aborted the request: it is local and fast, and a late answer beats none.
import type { Logger } from '../../core/logger.js';
import type { GenerationRequest, GenerationResult, Generator } from './generator.js';

export class GeneratorChain implements Generator {
  readonly name: string;

  constructor(
    private readonly generators: readonly Generator[],
    private readonly logger: Logger,
  ) {
    this.name = generators.map((g) => g.name).join(' → ');
  }

  async generate(request: GenerationRequest): Promise<GenerationResult | null> {
    for (const generator of this.generators) {
      try {
        const result = await generator.generate(request);
        if (result && result.text.trim()) return result;
      } catch (error) {
        this.logger.warn('generator failed, trying the next one', {
          generator: generator.name,
          entity: request.entity.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return null;
  }
}
