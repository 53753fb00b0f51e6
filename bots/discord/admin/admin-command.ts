// Reads a /chorus invocation's raw options into a typed command, checking every value with a message naming the
// option: pure, so the parsing is tested without Discord.

/** An option as the interaction carries it (discord.js `CommandInteractionOption`, reduced to what is read). */
export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: readonly RawOption[] | undefined;
}

export interface EntityChange {
  responseChance?: number;
  minSecondsBetweenPosts?: number;
  /** 0 clears the limit. */
  maxPostsPerMinute?: number;
  maxPostsPerHour?: number;
}

export type AdminCommand =
  | { kind: 'entities'; page: number }
  | { kind: 'entity.enable' | 'entity.disable'; entity: string }
  | ({ kind: 'entity.set'; entity: string } & EntityChange)
  | { kind: 'cluster.status' }
  | { kind: 'cluster.load' | 'cluster.unload'; model: string; server?: string }
  | { kind: 'markov.train' | 'markov.stats'; channel?: string }
  | { kind: 'markov.forget'; messageId?: string; user?: string }
  | { kind: 'say'; entity: string; text?: string };

export type ParsedCommand = { ok: true; command: AdminCommand } | { ok: false; error: string };

// Discord's option types (ApplicationCommandOptionType), repeated so this module needs nothing from discord.js.
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;

class OptionError extends Error {}

class Options {
  readonly #byName: Map<string, RawOption['value']>;
  constructor(options: readonly RawOption[]) {
    this.#byName = new Map(options.map((o) => [o.name, o.value]));
  }

  text(name: string): string | undefined {
    const value = this.#byName.get(name);
    if (value === undefined) return undefined;
    const text = String(value).trim();
    if (!text) throw new OptionError(`${name} must not be empty`);
    return text;
  }

  required(name: string): string {
    const text = this.text(name);
    if (text === undefined) throw new OptionError(`${name} is required`);
    return text;
  }

  number(name: string, min: number, max: number, integer = false): number | undefined {
    const value = this.#byName.get(name);
    if (value === undefined) return undefined;
    const n = typeof value === 'number' ? value : Number(value);
    const kind = integer ? 'a whole number' : 'a number';
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      throw new OptionError(`${name} must be ${kind} from ${min} to ${max} (got ${String(value)})`);
    }
    return n;
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

function entitySet(entity: string, o: Options): AdminCommand {
  const change: EntityChange = {};
  const chance = o.number('response_chance', 0, 1);
  if (chance !== undefined) change.responseChance = chance;
  const gap = o.number('min_seconds_between_posts', 0, 86_400);
  if (gap !== undefined) change.minSecondsBetweenPosts = gap;
  const perMinute = o.number('max_posts_per_minute', 0, 1_000, true);
  if (perMinute !== undefined) change.maxPostsPerMinute = perMinute;
  const perHour = o.number('max_posts_per_hour', 0, 100_000, true);
  if (perHour !== undefined) change.maxPostsPerHour = perHour;
  if (Object.keys(change).length === 0) {
    throw new OptionError(
      'give at least one of response_chance, min_seconds_between_posts, max_posts_per_minute, max_posts_per_hour',
    );
  }
  return { kind: 'entity.set', entity, ...change };
}

function markovForget(o: Options): AdminCommand {
  const messageId = o.text('message_id');
  const user = o.text('user');
  if ((messageId === undefined) === (user === undefined)) {
    throw new OptionError('give either message_id or user (exactly one)');
  }
  if (messageId !== undefined) {
    if (!SNOWFLAKE.test(messageId))
      throw new OptionError(`message_id must be a Discord message id (got ${messageId})`);
    return { kind: 'markov.forget', messageId };
  }
  return { kind: 'markov.forget', user: user as string };
}

function build(path: string, o: Options): AdminCommand {
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
  switch (path) {
    case 'entities':
      return { kind: 'entities', page: o.number('page', 1, 1_000, true) ?? 1 };
    case 'entity enable':
      return { kind: 'entity.enable', entity: o.required('entity') };
    case 'entity disable':
      return { kind: 'entity.disable', entity: o.required('entity') };
    case 'entity set':
      return entitySet(o.required('entity'), o);
    case 'cluster status':
      return { kind: 'cluster.status' };
    case 'cluster load':
    case 'cluster unload':
      return {
        kind: path === 'cluster load' ? 'cluster.load' : 'cluster.unload',
        model: o.required('model'),
        ...optional('server', o.text('server')),
      };
    case 'markov train':
    case 'markov stats':
      return {
        kind: path === 'markov train' ? 'markov.train' : 'markov.stats',
        ...optional('channel', o.text('channel')),
      };
    case 'markov forget':
      return markovForget(o);
    case 'say':
      return { kind: 'say', entity: o.required('entity'), ...optional('text', o.text('text')) };
    default:
      throw new OptionError(`unknown command "/chorus ${path}"`);
  }
}

/** The subcommand group and subcommand names, and the options of the subcommand. */
function walk(options: readonly RawOption[]): { path: string[]; leaf: readonly RawOption[] } {
  const path: string[] = [];
  let leaf = options;
  for (;;) {
    const nested = leaf.find((o) => o.type === SUB_COMMAND_GROUP || o.type === SUB_COMMAND);
    if (!nested) return { path, leaf };
    path.push(nested.name);
    leaf = nested.options ?? [];
  }
}

/** The command a /chorus invocation asks for, from its top-level options. */
export function parseAdminCommand(options: readonly RawOption[]): ParsedCommand {
  const { path, leaf } = walk(options);
  try {
    if (path.length === 0) throw new OptionError('no subcommand given');
    return { ok: true, command: build(path.join(' '), new Options(leaf)) };
  } catch (error) {
    if (error instanceof OptionError) return { ok: false, error: error.message };
    throw error;
  }
}

/** How the command is written, for logs and refusals (`/chorus entity set`). */
export function commandPath(options: readonly RawOption[]): string {
  return ['/chorus', ...walk(options).path].join(' ');
}
