// The /chorus command's definition, option parsing, the admins allowlist, paging and the entity changes: pure parts.
import { describe, expect, it } from 'vitest';
import { commandPath, parseAdminCommand, type RawOption } from '../../bots/discord/admin/admin-command.js';
import { authorize } from '../../bots/discord/admin/authorization.js';
import { chorusCommand } from '../../bots/discord/admin/command-definition.js';
import { entityBlock, limitsText, rateStateText } from '../../bots/discord/admin/entities-command.js';
import { changedLimits, postingLimits } from '../../bots/discord/admin/entity-command.js';
import { entityChoices, findEntity } from '../../bots/discord/admin/entity-lookup.js';
import { MESSAGE_LIMIT, paginate, truncate } from '../../bots/discord/admin/message-pages.js';
import { validateConfig } from '../../entities/config/index.js';
import { EntityRoster } from '../../entities/entity-roster.js';

const sub = (name: string, options: RawOption[] = []): RawOption => ({ name, type: 1, options });
const group = (name: string, s: RawOption): RawOption => ({ name, type: 2, options: [s] });
const opt = (name: string, value: string | number, type = 3): RawOption => ({ name, type, value });

describe('the /chorus definition', () => {
  const def = chorusCommand() as unknown as {
    name: string;
    default_member_permissions: string;
    contexts: number[];
    options: { name: string; type: number; options?: { name: string }[] }[];
  };
  it('GIVEN the command THEN it needs Manage Guild by default and exists only in guilds', () => {
    expect(def.name).toBe('chorus');
    expect(def.default_member_permissions).toBe('32');
    expect(def.contexts).toEqual([0]);
  });
  it('GIVEN the command THEN it has every subcommand and group', () => {
    const tree = Object.fromEntries(
      def.options.map((o) => [
        o.name,
        o.options?.filter((x) => 'type' in x && (x as { type: number }).type === 1).map((x) => x.name) ?? [],
      ]),
    );
    expect(Object.keys(tree).sort()).toEqual(['cluster', 'entities', 'entity', 'markov', 'say']);
    expect(tree.entity).toEqual(['enable', 'disable', 'set']);
    expect(tree.cluster).toEqual(['status', 'load', 'unload']);
    expect(tree.markov).toEqual(['train', 'stats', 'forget']);
  });
});

describe('parseAdminCommand', () => {
  it('GIVEN each subcommand THEN the typed command', () => {
    expect(parseAdminCommand([sub('entities')])).toEqual({
      ok: true,
      command: { kind: 'entities', page: 1 },
    });
    expect(parseAdminCommand([group('entity', sub('disable', [opt('entity', 'luna')]))])).toEqual({
      ok: true,
      command: { kind: 'entity.disable', entity: 'luna' },
    });
    expect(
      parseAdminCommand([
        group(
          'entity',
          sub('set', [
            opt('entity', 'luna'),
            opt('response_chance', 0.5, 10),
            opt('max_posts_per_hour', 0, 4),
          ]),
        ),
      ]),
    ).toEqual({
      ok: true,
      command: { kind: 'entity.set', entity: 'luna', responseChance: 0.5, maxPostsPerHour: 0 },
    });
    expect(parseAdminCommand([group('cluster', sub('load', [opt('model', 'qwen/qwen3-8b')]))])).toEqual({
      ok: true,
      command: { kind: 'cluster.load', model: 'qwen/qwen3-8b' },
    });
    expect(
      parseAdminCommand([group('markov', sub('train', [opt('channel', '123456789012345678', 7)]))]),
    ).toEqual({
      ok: true,
      command: { kind: 'markov.train', channel: '123456789012345678' },
    });
    expect(parseAdminCommand([sub('say', [opt('entity', 'luna')])])).toEqual({
      ok: true,
      command: { kind: 'say', entity: 'luna' },
    });
    expect(commandPath([group('markov', sub('stats'))])).toBe('/chorus markov stats');
  });

  it('GIVEN bad values THEN an error naming the option', () => {
    const set = (...options: RawOption[]) =>
      parseAdminCommand([group('entity', sub('set', [opt('entity', 'luna'), ...options]))]);
    expect(set(opt('response_chance', 1.5, 10))).toEqual({
      ok: false,
      error: 'response_chance must be a number from 0 to 1 (got 1.5)',
    });
    expect(set(opt('max_posts_per_minute', 2.5, 4))).toMatchObject({
      error: /max_posts_per_minute must be a whole number/,
    });
    expect(set(opt('min_seconds_between_posts', -1, 10))).toMatchObject({
      error: /min_seconds_between_posts/,
    });
    expect(set()).toMatchObject({ ok: false, error: /give at least one of response_chance/ });
    expect(parseAdminCommand([group('markov', sub('forget'))])).toMatchObject({
      error: 'give either message_id or user (exactly one)',
    });
    expect(parseAdminCommand([group('markov', sub('forget', [opt('message_id', 'abc')]))])).toMatchObject({
      error: /message_id must be a Discord message id/,
    });
    expect(parseAdminCommand([group('entity', sub('enable', [opt('entity', '  ')]))])).toMatchObject({
      error: 'entity must not be empty',
    });
    expect(parseAdminCommand([])).toEqual({ ok: false, error: 'no subcommand given' });
  });
});

describe('authorize', () => {
  it('GIVEN a listed user THEN allowed; an unlisted one or an empty list THEN refused with the reason', () => {
    expect(authorize('1', ['1', '2'])).toEqual({ ok: true });
    expect(authorize('3', ['1'])).toEqual({
      ok: false,
      reason: 'you are not a Chorus admin (admins.discord)',
    });
    expect(authorize('3', [])).toMatchObject({
      ok: false,
      reason: /no Chorus admins are configured: add your Discord user id \(3\)/,
    });
  });
});

describe('paging answers', () => {
  it('GIVEN short blocks THEN one page; many THEN pages within the limit, each with its number', () => {
    expect(paginate('head', ['a', 'b'])).toEqual(['head\na\nb']);
    const blocks = Array.from({ length: 60 }, (_, i) => `block ${i} ${'x'.repeat(80)}`);
    const pages = paginate('head', blocks);
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, page] of pages.entries()) {
      expect(page.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(page.startsWith('head\n')).toBe(true);
      expect(page).toContain(`_page ${i + 1}/${pages.length}`);
    }
    expect(pages.join('\n')).toContain('block 59');
    expect(truncate('y'.repeat(3000))).toHaveLength(MESSAGE_LIMIT);
    expect(truncate('y'.repeat(3000)).endsWith('…')).toBe(true);
  });
});

describe('entity changes and listing', () => {
  const { config } = validateConfig(
    {
      entities: [
        { id: 'luna', username: 'Luna', rateLimits: { minSecondsBetweenPosts: 30, maxPostsPerMinute: 5 } },
      ],
    },
    'test',
  );
  const luna = config.entities[0]!;
  it('GIVEN a change THEN the limits merge, 0 clears a limit, and the limiter gets ms', () => {
    const next = changedLimits(luna.rateLimits, { maxPostsPerMinute: 0, maxPostsPerHour: 60 });
    expect(next).toEqual({ minSecondsBetweenPosts: 30, maxPostsPerMinute: undefined, maxPostsPerHour: 60 });
    expect(postingLimits(next)).toEqual({ minGapMs: 30_000, maxPerMinute: undefined, maxPerHour: 60 });
    expect(limitsText(luna.rateLimits)).toBe('≥30s apart, ≤5/min');
    expect(limitsText(next)).toBe('≥30s apart, ≤60/h');
  });
  it('GIVEN an entity THEN its block shows state, connection, chance, limits and rate state', () => {
    const now = 1_000_000;
    const text = entityBlock(
      luna,
      undefined,
      { postsLastMinute: 1, postsLastHour: 4, nextAllowedAt: now + 12_000 },
      now,
    );
    expect(text).toContain('**Luna** `luna` — enabled, not on Discord');
    expect(text).toContain(
      'chance 0.2; limits: ≥30s apart, ≤5/min; 1 posts in the last minute, 4 in the last hour, next post in 12s',
    );
    expect(rateStateText({ postsLastMinute: 0, postsLastHour: 0, nextAllowedAt: now }, now)).toContain(
      'may post now',
    );
  });
});

describe('entity lookup', () => {
  const { config } = validateConfig(
    {
      entities: [
        { id: 'luna', username: 'Luna' },
        { id: 'sol', username: 'Solstice', enabled: false },
      ],
    },
    'test',
  );
  const roster = new EntityRoster(config.entities);
  it('GIVEN an id or a username in any case THEN the entity; an unknown name THEN the known ids', () => {
    expect(findEntity(roster, 'luna').id).toBe('luna');
    expect(findEntity(roster, 'SOLSTICE').id).toBe('sol');
    expect(() => findEntity(roster, 'zed')).toThrow('unknown entity "zed"; known: luna, sol');
  });
  it('GIVEN typed text THEN autocomplete choices match ids and usernames and mark disabled ones', () => {
    expect(entityChoices(roster, 'sol')).toEqual([{ name: 'Solstice (sol) — disabled', value: 'sol' }]);
    expect(entityChoices(roster, '').map((c) => c.value)).toEqual(['luna', 'sol']);
  });
});
