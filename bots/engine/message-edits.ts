// A person edited or deleted a message Chorus holds: the Markov chains untrain the old text; an edit stores the
// new text, retrains it and shows it in the engine's recent history. Shared by the Discord and Signal platforms.
import type { StoredMessage } from '../../core/message.js';
import type { InboxRepository } from '../../store/index.js';
import type { MarkovTraining } from '../generation/markov-training.js';
import type { ChannelHistory } from './channel-history.js';

export interface MessageEditDeps {
  inbox: InboxRepository;
  history?: ChannelHistory | undefined;
  training?: MarkovTraining | undefined;
}

export type EditOutcome = 'unchanged' | 'untrained' | 'retrained';

/** Applies `text` as the new text of `stored`; '' (a deletion, or an edit that empties it) only untrains. */
export function applyEdit(stored: StoredMessage, text: string, deps: MessageEditDeps): EditOutcome {
  if (text === stored.text) return 'unchanged';
  deps.training?.forget(stored);
  if (!text) return 'untrained';
  const edited = { ...stored, text };
  deps.inbox.updateText(stored.id, text);
  deps.history?.replace(edited);
  deps.training?.learn(edited);
  return 'retrained';
}
