// A slash command people send to the fleet over Signal (`/brief …`, `/remind …`, `/habit …`, `/help`). The
// router parses `/name rest`, checks admin-only commands against the config's `admins.signal` numbers, runs
// the command, and answers a UsageError with its one-line usage.

export interface CommandContext {
  /** The sender as a Signal recipient: their UUID, or their number when no UUID is known. */
  person: string;
  /** The sender's number (E.164), when Signal shared it. */
  number?: string | undefined;
  /** The sender's profile name, when known. */
  name: string;
  /** The inbox channel the command came from (a group id, or `dm:<entityId>:<person>`). */
  channel: string;
  /** The entity that answers in this conversation (the DM's owner, or the default entity). */
  entityId: string | undefined;
  isAdmin: boolean;
  /** Milliseconds since the epoch, from the fleet's clock. */
  now: number;
  /** Answers in the conversation the command came from. */
  reply(text: string): Promise<void>;
}

export interface SignalCommand {
  /** The word after the slash, e.g. `brief`. */
  readonly name: string;
  /** One line: `/brief subscribe HH:MM Area/City [weekdays] | unsubscribe | now`. */
  readonly usage: string;
  /** One line for /help. */
  readonly summary: string;
  readonly adminOnly?: boolean;
  /** `args` is the text after the command name, trimmed. Throws UsageError when it does not parse. */
  run(args: string, context: CommandContext): Promise<void>;
}

/** The arguments did not parse: the router answers with the command's usage line (and this detail, if any). */
export class UsageError extends Error {
  constructor(detail = '') {
    super(detail);
    this.name = 'UsageError';
  }
}
