// What an entity sends a language model, in the seed system's shape: its system prompt, then one user turn made of
// its user prompt followed by the conversation (the context window and the message being answered), one line per
// message, each line prefixed with its author when `addEntityUsername` is set.
import type { StoredMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';

export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The model an entity asks for: the path of its default quantization when that is enabled, else its first
 * enabled quantization, else its base model; undefined when it names none (it has no LLM).
 */
export function entityModel(entity: EntityConfig): string | undefined {
  const quantizations = entity.quantizations;
  const preferred = entity.defaultQuantization ? quantizations[entity.defaultQuantization] : undefined;
  if (preferred?.enabled) return preferred.modelPath;
  const first = Object.values(quantizations).find((q) => q.enabled);
  return first?.modelPath ?? (entity.baseModel || undefined);
}

/** The chat messages for one reply. */
export function chatPrompt(
  entity: EntityConfig,
  history: readonly StoredMessage[],
  message: StoredMessage,
): PromptMessage[] {
  const line = (m: StoredMessage) => (entity.addEntityUsername ? `${m.author}: ${m.text}` : m.text);
  const conversation = [...history, message].map(line).join(entity.addNewlineToContext ? '\n' : ' ');
  const role =
    entity.systemRole === 'user' || entity.systemRole === 'assistant' ? entity.systemRole : 'system';
  const messages: PromptMessage[] = [];
  if (entity.systemPrompt.trim()) messages.push({ role, content: entity.systemPrompt });
  messages.push({ role: 'user', content: `${entity.userPrompt}${conversation}` });
  return messages;
}
