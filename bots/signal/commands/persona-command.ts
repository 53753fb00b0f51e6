// /persona: shows who answers your direct messages, or switches to another entity that takes Signal DMs.
import type { SignalStateRepository } from '../../../store/signal-state-repository.js';
import type { DmOwners } from '../dm-owner.js';
import type { SignalCommand } from './command.js';

export function personaCommand(owners: DmOwners, state: SignalStateRepository): SignalCommand {
  return {
    name: 'persona',
    usage: '/persona [NAME]',
    summary: 'who answers your direct messages',
    async run(args, context) {
      const names = owners
        .choices()
        .map((e) => e.username)
        .join(', ');
      if (args === '') {
        const current = owners.ownerOf(context.person);
        return context.reply(
          `You are talking with ${current?.username ?? 'nobody'}. Available: ${names || 'none'}.`,
        );
      }
      const entity = owners.find(args);
      if (!entity) return context.reply(`No persona "${args}". Available: ${names || 'none'}.`);
      state.setPersona(context.person, entity.id, context.now);
      await context.reply(`${entity.username} will answer your direct messages from now on.`);
    },
  };
}
