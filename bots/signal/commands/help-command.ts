// /help: the commands this sender may use, one line each.
import type { SignalCommand } from './command.js';

export function helpCommand(available: (isAdmin: boolean) => readonly SignalCommand[]): SignalCommand {
  return {
    name: 'help',
    usage: '/help',
    summary: 'this list',
    async run(_args, context) {
      const lines = available(context.isAdmin).map((c) => `${c.usage} — ${c.summary}`);
      await context.reply(['Commands:', ...lines].join('\n'));
    },
  };
}
