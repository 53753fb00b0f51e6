export {
  analyze,
  acceptsAuthor,
  activity,
  botRunLength,
  type Analysis,
  type AnalyzerEntity,
  type AnalyzerSettings,
  type Candidate,
  type CandidateReason,
} from './conversation-analyzer.js';
export { MentionIndex, type MentionableEntity } from './mention-index.js';
export { isQuestion, keywords, words } from './text-signals.js';
