export { openDatabase, migrate, type Db } from './database.js';
export { InboxRepository, type InsertResult } from './inbox-repository.js';
export { OutboxRepository, type OutboxRow, type NewOutboxRow } from './outbox-repository.js';
export { RatePostRepository, type RatePost } from './rate-post-repository.js';
export { ChorusStore } from './chorus-store.js';
export { MarkovRepository, type ScopeRow, type ScopeRows, type TrainingRow } from './markov-repository.js';
