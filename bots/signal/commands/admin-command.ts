// /admin (only from the config's `admins.signal` numbers): the platform's status, enabling or disabling an
// entity, and solving Signal's rate-limit captcha challenge, which reopens the send gate.
import type { EntityRoster } from '../../../entities/entity-roster.js';
import type { SendGate } from '../send-gate.js';
import { UsageError, type SignalCommand } from './command.js';

export interface AdminCommandDeps {
  roster: EntityRoster;
  gate: SendGate;
  solveChallenge(token: string, captcha: string): Promise<void>;
  /** One line per fact, for /admin status. */
  status(): string[];
}

export function adminCommand(deps: AdminCommandDeps): SignalCommand {
  return {
    name: 'admin',
    usage: '/admin status | entity enable|disable ID | challenge TOKEN CAPTCHA',
    summary: 'fleet status, entities on/off, lift a rate limit',
    adminOnly: true,
    async run(args, context) {
      const words = args.split(/\s+/).filter((w) => w !== '');
      const [verb = '', a, b, ...extra] = words;
      switch (verb.toLowerCase()) {
        case 'status':
          if (words.length !== 1) throw new UsageError();
          return context.reply(deps.status().join('\n'));
        case 'entity': {
          const action = a?.toLowerCase();
          if ((action !== 'enable' && action !== 'disable') || b === undefined || extra.length > 0)
            throw new UsageError();
          if (!deps.roster.get(b)) return context.reply(`No entity "${b}".`);
          deps.roster.update(b, { enabled: action === 'enable' });
          return context.reply(`Entity ${b} ${action}d.`);
        }
        case 'challenge': {
          if (a === undefined || b === undefined || extra.length > 0)
            throw new UsageError('needs the token and the captcha');
          await deps.solveChallenge(a, b);
          deps.gate.reopen();
          return context.reply('Challenge accepted; Signal sends resume.');
        }
        default:
          throw new UsageError();
      }
    },
  };
}
