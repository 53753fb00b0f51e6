import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../core/logger.js';
import { CommandRouter, parseCommand } from '../../bots/signal/commands/command-router.js';
import { UsageError, type CommandContext, type SignalCommand } from '../../bots/signal/commands/command.js';
import { helpCommand } from '../../bots/signal/commands/help-command.js';

function context(isAdmin = false): CommandContext & { replies: string[] } {
  const replies: string[] = [];
  return {
    person: 'p',
    name: 'P',
    channel: 'dm:ada:p',
    entityId: 'ada',
    isAdmin,
    now: 0,
    replies,
    reply: async (text) => void replies.push(text),
  };
}

const echo: SignalCommand = {
  name: 'echo',
  usage: '/echo TEXT',
  summary: 'says it back',
  run: async (args, c) => {
    if (args === '') throw new UsageError('needs text');
    await c.reply(args);
  },
};
const secret: SignalCommand = {
  name: 'secret',
  usage: '/secret',
  summary: 'admins',
  adminOnly: true,
  run: async (_a, c) => c.reply('ok'),
};
const broken: SignalCommand = {
  name: 'broken',
  usage: '/broken',
  summary: 'fails',
  run: async () => Promise.reject(new Error('boom')),
};

describe('parseCommand', () => {
  it('GIVEN /name args THEN the lower-case name and trimmed args; GIVEN other text THEN undefined', () => {
    expect(parseCommand('/Remind  08:00 tea ')).toEqual({ name: 'remind', args: '08:00 tea' });
    expect(parseCommand('/help')).toEqual({ name: 'help', args: '' });
    expect(parseCommand('/habit add\nRun')).toEqual({ name: 'habit', args: 'add\nRun' });
    for (const text of ['hello', '/ help', '//x', '/1abc', 'a /help'])
      expect(parseCommand(text), text).toBeUndefined();
  });
});

describe('CommandRouter', () => {
  const router = new CommandRouter(memoryLogger()).add(echo).add(secret).add(broken);
  router.add(helpCommand((admin) => router.available(admin)));

  it('GIVEN commands THEN runs them; usage errors get the one-line usage; unknown ones a pointer', async () => {
    const c = context();
    expect(await router.handle('/echo hi there', c)).toBe(true);
    await router.handle('/echo', c);
    await router.handle('/nope', c);
    await router.handle('/broken', c);
    expect(await router.handle('not a command', c)).toBe(false);
    expect(c.replies).toEqual([
      'hi there',
      'Usage: /echo TEXT (needs text)',
      'Unknown command /nope. Send /help for the list.',
      'Sorry, /broken failed: boom',
    ]);
  });

  it('GIVEN an admin-only command THEN refused to others; /help lists only what the sender may use', async () => {
    const user = context();
    await router.handle('/secret', user);
    await router.handle('/help', user);
    expect(user.replies[0]).toBe('/secret is for admins only.');
    expect(user.replies[1]).not.toContain('/secret');
    const admin = context(true);
    await router.handle('/secret', admin);
    await router.handle('/help', admin);
    expect(admin.replies[0]).toBe('ok');
    expect(admin.replies[1]).toContain('/secret — admins');
  });

  it('GIVEN two commands with one name THEN a clear error', () => {
    expect(() => new CommandRouter(memoryLogger()).add(echo).add(echo)).toThrow(
      'two Signal commands are named /echo',
    );
  });
});
