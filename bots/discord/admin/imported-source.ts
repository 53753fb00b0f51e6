// How history imported by `markov train` is named in the Markov scopes: `discord:<author id>:<message id>`, so a
// re-import skips what is known, and one message or one person's messages can be untrained by source.
export const IMPORTED_PREFIX = 'discord:';

export const importedSource = (authorId: string, messageId: string): string =>
  `${IMPORTED_PREFIX}${authorId}:${messageId}`;

/** The prefix of every imported source of one author. */
export const importedSourcesOf = (authorId: string): string => `${IMPORTED_PREFIX}${authorId}:`;
