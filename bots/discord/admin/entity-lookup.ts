// Finds the entity an admin named, by id or username (any case), or says which names exist.
import type { EntityConfig } from '../../../entities/config/index.js';
import type { EntityRoster } from '../../../entities/entity-roster.js';
import { AdminCommandError } from './admin-request.js';

export function findEntity(roster: EntityRoster, name: string): EntityConfig {
  const byId = roster.get(name);
  if (byId) return byId;
  const lower = name.toLowerCase();
  const all = roster.all();
  const found = all.find((e) => e.id.toLowerCase() === lower || e.username.toLowerCase() === lower);
  if (found) return found;
  const known = all.map((e) => e.id);
  const list = known.length > 20 ? `${known.slice(0, 20).join(', ')}, …` : known.join(', ');
  throw new AdminCommandError(`unknown entity "${name}"; known: ${list || '(none)'}`);
}

/** Autocomplete choices: entities whose id or username contains what was typed (Discord shows 25 at most). */
export function entityChoices(roster: EntityRoster, typed: string): { name: string; value: string }[] {
  const lower = typed.toLowerCase();
  return roster
    .all()
    .filter((e) => e.id.toLowerCase().includes(lower) || e.username.toLowerCase().includes(lower))
    .slice(0, 25)
    .map((e) => ({
      name: `${e.username} (${e.id})${e.enabled ? '' : ' — disabled'}`.slice(0, 100),
      value: e.id,
    }));
}
