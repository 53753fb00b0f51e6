// The router with every Signal command Chorus itself answers (/help, /remind, /habit, /persona, /admin); the
// platform adds /brief when briefings run.
import type { Logger } from '../../../core/logger.js';
import type { EntityRoster } from '../../../entities/entity-roster.js';
import type { HabitRepository } from '../../../store/habit-repository.js';
import type { ReminderRepository } from '../../../store/reminder-repository.js';
import type { SignalStateRepository } from '../../../store/signal-state-repository.js';
import type { DmOwners } from '../dm-owner.js';
import type { ZoneOf } from '../person-zone.js';
import type { SendGate } from '../send-gate.js';
import { adminCommand, type AdminCommandDeps } from './admin-command.js';
import { CommandRouter } from './command-router.js';
import { habitCommand } from './habit-command.js';
import { helpCommand } from './help-command.js';
import { personaCommand } from './persona-command.js';
import { remindCommand } from './remind-command.js';

export interface SignalCommandsDeps {
  logger: Logger;
  roster: EntityRoster;
  reminders: ReminderRepository;
  habits: HabitRepository;
  state: SignalStateRepository;
  owners: DmOwners;
  zoneOf: ZoneOf;
  gate: SendGate;
  solveChallenge: AdminCommandDeps['solveChallenge'];
  status: AdminCommandDeps['status'];
}

export function signalCommands(deps: SignalCommandsDeps): CommandRouter {
  const router = new CommandRouter(deps.logger);
  return router
    .add(helpCommand((isAdmin) => router.available(isAdmin)))
    .add(remindCommand({ reminders: deps.reminders, zoneOf: deps.zoneOf }))
    .add(habitCommand({ habits: deps.habits, zoneOf: deps.zoneOf }))
    .add(personaCommand(deps.owners, deps.state))
    .add(
      adminCommand({
        roster: deps.roster,
        gate: deps.gate,
        solveChallenge: deps.solveChallenge,
        status: deps.status,
      }),
    );
}
