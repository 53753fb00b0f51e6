// The conversation analyzer: pure functions from a channel's recent messages to the entities that may answer
// the newest one, each with a reason and a probability. No I/O, no clock, no randomness.
import { dmEntity, type StoredMessage } from '../../core/message.js';
import type { MentionIndex } from './mention-index.js';
import { isQuestion } from './text-signals.js';

export interface AnalyzerEntity {
  id: string;
  username: string;
  responseChance: number;
  conversationSettings: {
    respondsToHumanMessages: boolean;
    respondsToAllAiMessages: boolean;
    respondsToTheseAiOnly: readonly string[];
  };
}

export type CandidateReason = 'mentioned' | 'reply' | 'question' | 'chance';

export interface Candidate {
  entityId: string;
  reason: CandidateReason;
  /** 1 for a direct mention or a reply to the entity. */
  probability: number;
}

export type ActivityLevel = 'quiet' | 'active' | 'busy';

export interface Analysis {
  question: boolean;
  /** Bot messages since the last human message, counting the newest message if a bot wrote it. */
  botRun: number;
  /** Messages per minute over the last five minutes of history. */
  messagesPerMinute: number;
  activity: ActivityLevel;
  candidates: Candidate[];
}

export interface AnalyzerSettings {
  /** Bot-to-bot exchanges allowed since the last human message. */
  maxBotExchanges: number;
}

/** Counts bot messages at the end of the conversation, back to the last human message. */
export function botRunLength(history: readonly StoredMessage[], message: StoredMessage): number {
  if (!message.isBot) return 0;
  let run = 1;
  for (let i = history.length - 1; i >= 0; i--) {
    if (!(history[i] as StoredMessage).isBot) break;
    run++;
  }
  return run;
}

export function activity(
  history: readonly StoredMessage[],
  at: number,
): { perMinute: number; level: ActivityLevel } {
  const windowMs = 5 * 60_000;
  let count = 0;
  for (let i = history.length - 1; i >= 0 && (history[i] as StoredMessage).createdAt > at - windowMs; i--)
    count++;
  const perMinute = count / 5;
  return { perMinute, level: perMinute >= 10 ? 'busy' : perMinute >= 1 ? 'active' : 'quiet' };
}

/** Whether an entity's conversation settings let it answer this author at all. */
export function acceptsAuthor(entity: AnalyzerEntity, message: StoredMessage): boolean {
  if (message.entityId === entity.id) return false;
  const settings = entity.conversationSettings;
  if (!message.isBot) return settings.respondsToHumanMessages;
  if (settings.respondsToTheseAiOnly.length > 0) {
    const author = [message.entityId, message.author, message.authorId]
      .filter(Boolean)
      .map((s) => s!.toLowerCase());
    return settings.respondsToTheseAiOnly.some((allowed) => author.includes(allowed.toLowerCase()));
  }
  return settings.respondsToAllAiMessages;
}

/**
 * GIVEN the channel history before a message, the message, and the entities present in the channel,
 * THEN the candidates that may answer it. A bot's message is answered only while the bot run since the last
 * human message is within `maxBotExchanges`.
 */
export function analyze(
  history: readonly StoredMessage[],
  message: StoredMessage,
  entities: readonly AnalyzerEntity[],
  mentions: MentionIndex,
  settings: AnalyzerSettings,
): Analysis {
  const question = isQuestion(message.text);
  const botRun = botRunLength(history, message);
  const { perMinute, level } = activity(history, message.createdAt);
  const analysis: Analysis = {
    question,
    botRun,
    messagesPerMinute: perMinute,
    activity: level,
    candidates: [],
  };
  if (message.isBot && botRun > settings.maxBotExchanges) return analysis;

  const named = new Set([...mentions.mentioned(message.text), ...message.mentions]);
  // A direct message is addressed to the entity that owns the conversation.
  const direct = dmEntity(message.channel);
  if (direct !== undefined) named.add(direct);
  let repliedTo: string | undefined;
  if (message.replyTo !== undefined) {
    for (let i = history.length - 1; i >= 0; i--) {
      const earlier = history[i] as StoredMessage;
      if (earlier.id === message.replyTo) {
        repliedTo = earlier.entityId;
        break;
      }
    }
  }
  for (const entity of entities) {
    if (!acceptsAuthor(entity, message)) continue;
    if (named.has(entity.id))
      analysis.candidates.push({ entityId: entity.id, reason: 'mentioned', probability: 1 });
    else if (repliedTo === entity.id)
      analysis.candidates.push({ entityId: entity.id, reason: 'reply', probability: 1 });
    else if (question) {
      const probability = Math.min(1, entity.responseChance * 2);
      if (probability > 0) analysis.candidates.push({ entityId: entity.id, reason: 'question', probability });
    } else if (entity.responseChance > 0) {
      analysis.candidates.push({ entityId: entity.id, reason: 'chance', probability: entity.responseChance });
    }
  }
  return analysis;
}
