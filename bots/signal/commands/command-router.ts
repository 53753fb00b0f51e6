// Routes `/name args` to its SignalCommand: unknown names get a pointer to /help, admin-only commands are
// refused to everyone not in the config's `admins.signal`, and a UsageError is answered with the command's
// one-line usage. Pure parsing lives in parseCommand, so it is tested without a router.
import type { Logger } from '../../../core/logger.js';
import { UsageError, type CommandContext, type SignalCommand } from './command.js';

export interface ParsedCommand {
  name: string;
  args: string;
}

const COMMAND = /^\/([a-z][\w-]{0,31})(?:\s+([\s\S]*))?$/i;

/** `/name rest` → { name (lower case), args (trimmed) }; undefined for anything that is not a command. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const m = COMMAND.exec(text.trim());
  if (!m) return undefined;
  return { name: (m[1] as string).toLowerCase(), args: (m[2] ?? '').trim() };
}

export class CommandRouter {
  readonly #commands = new Map<string, SignalCommand>();

  constructor(private readonly logger: Logger) {}

  add(command: SignalCommand): this {
    if (this.#commands.has(command.name)) throw new Error(`two Signal commands are named /${command.name}`);
    this.#commands.set(command.name, command);
    return this;
  }

  /** The commands a sender may use, by name. */
  available(isAdmin: boolean): SignalCommand[] {
    return [...this.#commands.values()]
      .filter((c) => isAdmin || !c.adminOnly)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Answers a command message; false when `text` is not a command at all. */
  async handle(text: string, context: CommandContext): Promise<boolean> {
    const parsed = parseCommand(text);
    if (!parsed) return false;
    const command = this.#commands.get(parsed.name);
    if (!command) {
      await context.reply(`Unknown command /${parsed.name}. Send /help for the list.`);
      return true;
    }
    if (command.adminOnly && !context.isAdmin) {
      await context.reply(`/${command.name} is for admins only.`);
      return true;
    }
    try {
      await command.run(parsed.args, context);
    } catch (error) {
      if (error instanceof UsageError) {
        await context.reply(`Usage: ${command.usage}${error.message ? ` (${error.message})` : ''}`);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error('a Signal command failed', { command: command.name, error: message });
        await context.reply(`Sorry, /${command.name} failed: ${message}`);
      }
    }
    return true;
  }
}
