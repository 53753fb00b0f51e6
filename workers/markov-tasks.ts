// The typed protocol between the main thread and the Markov worker pool: what a task asks, what it answers.

/** Given to every worker thread when it starts. */
export interface MarkovWorkerData {
  /** The SQLite database holding the scopes. */
  dbFile: string;
  /** This thread's share of the hot-chain memory cap, in bytes. */
  cacheBytes: number;
}

export interface ReplyLimits {
  minWords: number;
  maxWords: number;
  maxTries: number;
}

/** A reply from the first of `scopes` that can give one, seeded from `keywords`. */
export interface GenerateTask extends ReplyLimits {
  kind: 'generate';
  scopes: string[];
  keywords: string[];
  /** Seeds the thread's random numbers for this task, so replies are reproducible. */
  seed: number;
}

/** Brings a scope's snapshot up to date with its messages (after bulk training). */
export interface BuildTask {
  kind: 'build';
  scope: string;
}

/** What a scope's model holds. */
export interface StatsTask {
  kind: 'stats';
  scope: string;
}

export type MarkovTask = GenerateTask | BuildTask | StatsTask;

export type GenerateAnswer =
  | { ok: true; text: string; scope: string; tries: number; seeded: boolean }
  | { ok: false; reason: string; tries: number };

export interface ScopeFigures {
  scope: string;
  stateSize: number;
  messages: number;
  vocabulary: number;
  forwardStates: number;
  transitions: number;
  chainBytes: number;
  guardBytes: number;
  /** Changes since the snapshot, not yet merged into it. */
  pending: number;
  /** Milliseconds the task spent loading the scope (0 when it was hot). */
  loadMs: number;
}

export interface MarkovAnswers {
  generate: GenerateAnswer;
  build: ScopeFigures;
  stats: ScopeFigures;
}
