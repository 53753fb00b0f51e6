// /habit: add, check off for today (the person's local day), list with streaks, remove.
import type { HabitRepository } from '../../../store/habit-repository.js';
import { habitStreak } from '../habits/habit-streak.js';
import { localDate } from '../../../core/local-time.js';
import type { ZoneOf } from '../person-zone.js';
import { UsageError, type SignalCommand } from './command.js';

export interface HabitCommandDeps {
  habits: HabitRepository;
  zoneOf: ZoneOf;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.'-]{0,39}$/u;
const MAX_HABITS = 50;

export function habitCommand(deps: HabitCommandDeps): SignalCommand {
  return {
    name: 'habit',
    usage: '/habit add NAME | done NAME | list | remove NAME',
    summary: 'habits checked daily, with streaks',
    async run(args, context) {
      const match = /^(\S+)\s*([\s\S]*)$/.exec(args);
      const verb = (match?.[1] ?? '').toLowerCase();
      const name = (match?.[2] ?? '').trim();
      const today = localDate(context.now, deps.zoneOf(context.person));
      const { habits } = deps;
      if (verb === 'list' && name === '') {
        const list = habits.list(context.person);
        if (list.length === 0) return context.reply('No habits yet. Add one with /habit add NAME.');
        const lines = list.map((h) => {
          const dates = habits.checkedDates(h.id);
          const mark = dates[0] === today ? '✓' : '·';
          return `${mark} ${h.name}: streak ${habitStreak(dates, today)}`;
        });
        return context.reply(lines.join('\n'));
      }
      if (!['add', 'done', 'remove'].includes(verb)) throw new UsageError();
      if (!NAME.test(name)) throw new UsageError('a NAME is letters, digits, spaces, up to 40');
      if (verb === 'add') {
        if (habits.list(context.person).length >= MAX_HABITS)
          return context.reply(`You have ${MAX_HABITS} habits already.`);
        if (!habits.add(context.person, name, context.now))
          return context.reply(`You already track "${name}".`);
        return context.reply(`Tracking "${name}". Check it off with /habit done ${name}.`);
      }
      const habit = habits.find(context.person, name);
      if (!habit) return context.reply(`No habit "${name}". See /habit list.`);
      if (verb === 'remove') {
        habits.remove(habit.id);
        return context.reply(`Stopped tracking "${habit.name}".`);
      }
      const fresh = habits.check(habit.id, today);
      const streak = habitStreak(habits.checkedDates(habit.id), today);
      return context.reply(
        `${fresh ? 'Done' : 'Already done'} for today: "${habit.name}", streak ${streak} day${streak === 1 ? '' : 's'}.`,
      );
    },
  };
}
