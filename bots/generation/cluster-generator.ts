// The LM Studio cluster as a Generator: an entity's reply from its model, prompted in the seed system's shape.
// Any failure (no server, every server failed, the deadline) is thrown, so the generator chain asks the Markov
// fallback next; an entity that names no model, or a cluster without servers, leaves it to the fallback at once.
import type { Cluster } from '../../cluster/cluster.js';
import { chatPrompt, entityModel } from './chat-prompt.js';
import type { GenerationRequest, GenerationResult, Generator } from './generator.js';

export class ClusterGenerator implements Generator {
  readonly name = 'lmstudio';

  constructor(private readonly cluster: Cluster) {}

  async generate(request: GenerationRequest): Promise<GenerationResult | null> {
    const { entity, history, message, signal, onPartial } = request;
    const model = entityModel(entity);
    if (!model || !this.cluster.hasServers) return null;
    const reply = await this.cluster.chat(
      {
        model,
        messages: chatPrompt(entity, history, message),
        temperature: entity.temperature,
        maxTokens: entity.maxTokens,
        topP: entity.topP,
        topK: entity.topK,
        repeatPenalty: entity.repeatPenalty,
      },
      entity.defaultPriority,
      signal,
      onPartial,
    );
    return { text: reply.text, source: 'llm', generator: `${this.name}:${reply.server}` };
  }
}
