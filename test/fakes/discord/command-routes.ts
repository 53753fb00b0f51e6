// Application command registration: bulk overwrite (PUT) and listing (GET) per guild or globally. Commands keep
// their id across overwrites by name and get a fresh version each time, as on Discord.
import { invalidForm } from './message-bodies.js';
import { error, missingAccess, ok, type Route, type RouteContext, type RouteResult } from './rest-server.js';
import type { CommandState, FakeWorld } from './state.js';

const ID = '([^/]+)';

export function commandRoutes(world: FakeWorld): Route[] {
  const put = (c: RouteContext, guildId: string | undefined): RouteResult => {
    const appId = c.params[0] ?? '';
    if (appId !== c.bot.applicationId) return missingAccess();
    if (guildId !== undefined && !world.guilds.some((g) => g.id === guildId))
      return error(404, 10004, 'Unknown Guild');
    if (!Array.isArray(c.body))
      return invalidForm({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
    const body = c.body as Record<string, unknown>[];
    const errors = Object.fromEntries(
      body.flatMap((command, index) => commandErrors(command).map((e) => [String(index), e])),
    );
    if (Object.keys(errors).length > 0) return invalidForm(errors);
    const key = `${appId}:${guildId ?? 'global'}`;
    const before = world.commands.get(key) ?? [];
    const commands: CommandState[] = body.map((command) => ({
      type: 1,
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      options: [],
      ...command,
      id: before.find((b) => b.name === command['name'])?.id ?? world.ids.next(),
      name: String(command['name']),
      application_id: appId,
      ...(guildId !== undefined && { guild_id: guildId }),
      version: world.ids.next(),
    }));
    world.commands.set(key, commands);
    return ok(commands);
  };
  const get = (c: RouteContext, scope: string): RouteResult =>
    c.params[0] === c.bot.applicationId
      ? ok(world.commands.get(`${c.params[0]}:${scope}`) ?? [])
      : missingAccess();

  return [
    {
      method: 'PUT',
      pattern: new RegExp(`^/applications/${ID}/guilds/${ID}/commands$`),
      auth: 'bot',
      handle: (c) => put(c, c.params[1] ?? ''),
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^/applications/${ID}/commands$`),
      auth: 'bot',
      handle: (c) => put(c, undefined),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/applications/${ID}/guilds/${ID}/commands$`),
      auth: 'bot',
      handle: (c) => get(c, c.params[1] ?? ''),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/applications/${ID}/commands$`),
      auth: 'bot',
      handle: (c) => get(c, 'global'),
    },
  ];
}

/** Discord's checks on one command: a lowercase name of 1–32 characters, a description of 1–100 for slash commands. */
function commandErrors(command: Record<string, unknown>): object[] {
  const name = command?.['name'];
  const description = command?.['description'];
  if (typeof name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name)) {
    return [
      {
        name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }] },
      },
    ];
  }
  const slash = (command['type'] ?? 1) === 1;
  if (slash && (typeof description !== 'string' || description.length < 1 || description.length > 100)) {
    return [
      {
        description: {
          _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
        },
      },
    ];
  }
  return [];
}
