// /remind: set a reminder at a time in the person's zone, list the open ones, mark one done. Due reminders
// are sent by the ReminderTicker.
import type { ReminderRepository } from '../../../store/reminder-repository.js';
import { localDate, localClock } from '../../../core/local-time.js';
import type { ZoneOf } from '../person-zone.js';
import { parseReminder } from '../reminders/reminder-time.js';
import { UsageError, type SignalCommand } from './command.js';

export interface RemindCommandDeps {
  reminders: ReminderRepository;
  zoneOf: ZoneOf;
}

/** At most this many open reminders per person. */
const MAX_OPEN = 100;

export function formatWhen(ms: number, zone: string): string {
  return `${localDate(ms, zone)} ${localClock(ms, zone)}`;
}

export function remindCommand(deps: RemindCommandDeps): SignalCommand {
  return {
    name: 'remind',
    usage: '/remind [tomorrow|YYYY-MM-DD] HH:MM text | in 20m|2h|1d text | list | done N',
    summary: 'reminders, sent to you at their time',
    async run(args, context) {
      const zone = deps.zoneOf(context.person);
      const [verb = '', ...rest] = args.split(/\s+/);
      if (verb.toLowerCase() === 'list' && rest.length === 0) {
        const open = deps.reminders.open(context.person);
        if (open.length === 0) return context.reply('No open reminders.');
        const lines = open.map(
          (r) =>
            `#${r.id} ${r.dueAt === null ? '(no time)' : formatWhen(r.dueAt, zone)}${r.notifiedAt !== null ? ' (sent)' : ''} — ${r.text}`,
        );
        return context.reply([`Your reminders (${zone}):`, ...lines].join('\n'));
      }
      if (verb.toLowerCase() === 'done') {
        const id = Number((rest[0] ?? '').replace(/^#/, ''));
        if (rest.length !== 1 || !Number.isInteger(id) || id <= 0)
          throw new UsageError('done needs a number');
        if (!deps.reminders.markDone(context.person, id, context.now))
          return context.reply(`You have no open reminder #${id}.`);
        return context.reply(`Reminder #${id} done.`);
      }
      const parsed = parseReminder(args, context.now, zone);
      if (!parsed) throw new UsageError();
      if (deps.reminders.open(context.person).length >= MAX_OPEN)
        return context.reply(`You have ${MAX_OPEN} open reminders; mark some done first.`);
      const reminder = deps.reminders.add(context.person, parsed.text, parsed.dueAt, context.now);
      await context.reply(
        `Reminder #${reminder.id} set for ${formatWhen(parsed.dueAt, zone)} (${zone}): ${parsed.text}`,
      );
    },
  };
}
