// Which entity answers a person's direct messages: the one they chose with /persona while it still takes
// Signal DMs, else `platforms.signal.defaultEntity`, else the first enabled entity that takes Signal DMs.
import type { EntityConfig } from '../../entities/config/index.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import type { SignalStateRepository } from '../../store/signal-state-repository.js';

export const takesSignalDms = (e: EntityConfig): boolean =>
  e.enabled && !!e.platforms.signal?.enabled && e.platforms.signal.dms;

export class DmOwners {
  constructor(
    private readonly roster: EntityRoster,
    private readonly state: SignalStateRepository,
    private readonly defaultEntity: string | undefined,
  ) {}

  /** The entities a person may talk with in DMs. */
  choices(): EntityConfig[] {
    return this.roster.all().filter(takesSignalDms);
  }

  ownerOf(person: string): EntityConfig | undefined {
    for (const id of [this.state.persona(person), this.defaultEntity]) {
      const entity = id === undefined ? undefined : this.roster.get(id);
      if (entity && takesSignalDms(entity)) return entity;
    }
    return this.choices()[0];
  }

  /** Finds a DM entity by id or username, ignoring case. */
  find(name: string): EntityConfig | undefined {
    const wanted = name.trim().toLowerCase();
    return this.choices().find((e) => e.id.toLowerCase() === wanted || e.username.toLowerCase() === wanted);
  }
}
