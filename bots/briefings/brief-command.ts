// The `/brief` Signal command: subscribe HH:MM Area/City [weekdays] | unsubscribe | now | status |
// location <place> | calendar <url>|off | feed add|remove <url>. Arguments that do not parse throw UsageError,
// which the router answers with the one-line usage.
import { UsageError, type CommandContext, type SignalCommand } from '../signal/commands/command.js';
import type { BriefingService } from './briefing-service.js';
import { longDate } from './briefing-writer.js';
import { isValidTimeZone, localParts } from '../../core/local-time.js';
import { formatWeekdays, parseTime, parseWeekdays } from '../../core/time-of-day.js';
import type { BriefingSubscription } from './subscription-repository.js';

const MAX_FEEDS = 10;
const MAX_CALENDARS = 5;

const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const hhmm = (t: number, zone: string): string => {
  const p = localParts(t, zone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

export class BriefCommand implements SignalCommand {
  readonly name = 'brief';
  readonly usage =
    '/brief subscribe HH:MM Area/City [mon-fri|sat,sun|daily] | unsubscribe | now | status | location <place> | calendar <url>|off | feed add|remove <url>';
  readonly summary = 'a morning briefing (weather, calendar, news, reminders, habits) from your persona';

  constructor(private readonly service: BriefingService) {}

  async run(args: string, context: CommandContext): Promise<void> {
    const [verb = '', ...rest] = args.trim().split(/\s+/).filter(Boolean);
    switch (verb.toLowerCase()) {
      case 'subscribe':
        return this.#subscribe(rest, context);
      case 'unsubscribe':
      case 'stop':
        return this.#unsubscribe(rest, context);
      case 'now':
        return this.#now(rest, context);
      case 'status':
      case '':
        return this.#status(context);
      case 'location':
        return this.#change(
          context,
          (s) => {
            const place = rest.join(' ').trim();
            if (!place) throw new UsageError('name a place, e.g. /brief location Hamburg');
            return { ...s, location: { name: place } };
          },
          `Weather will be for ${rest.join(' ')}.`,
        );
      case 'calendar':
        return this.#calendar(rest, context);
      case 'feed':
        return this.#feed(rest, context);
      default:
        throw new UsageError(`unknown /brief action "${verb}"`);
    }
  }

  async #subscribe(rest: string[], context: CommandContext): Promise<void> {
    const [time, zone, days, ...extra] = rest;
    if (!time || !zone || extra.length > 0) throw new UsageError();
    if (!parseTime(time)) throw new UsageError(`"${time}" is not a time like 07:00`);
    if (!zone.includes('/') || !isValidTimeZone(zone))
      throw new UsageError(`"${zone}" is not a time zone like Europe/Berlin`);
    const weekdays = parseWeekdays(days ?? 'daily');
    if (!weekdays || weekdays.size === 0)
      throw new UsageError(`"${days}" is not weekdays like mon-fri or sat,sun`);
    if (await this.#configured(context)) return;
    const entity =
      (context.entityId && this.service.directory.entity(context.entityId)) ||
      this.service.directory.defaultEntity();
    if (!entity) {
      await context.reply('No persona is available to write briefings.');
      return;
    }
    const previous = this.service.subscription(context.person);
    const [h, m] = time.split(':');
    const subscription: BriefingSubscription = {
      calendars: [],
      feeds: [],
      ...previous,
      person: context.person,
      entityId: entity.id,
      time: `${(h ?? '').padStart(2, '0')}:${m ?? '00'}`,
      timeZone: zone,
      weekdays: formatWeekdays(weekdays),
      origin: 'command',
    };
    this.service.save(subscription);
    const next = this.service.status(context.person)?.next;
    await context.reply(
      `Subscribed: ${entity.username} will brief you at ${subscription.time} ${zone} (${subscription.weekdays}).` +
        (next ? ` First one: ${longDate(next.localDate)}.` : ''),
    );
  }

  async #unsubscribe(rest: string[], context: CommandContext): Promise<void> {
    if (rest.length > 0) throw new UsageError();
    if (await this.#configured(context)) return;
    const removed = this.service.unsubscribe(context.person);
    await context.reply(removed ? 'Unsubscribed: no more briefings.' : 'You had no briefing subscription.');
  }

  async #now(rest: string[], context: CommandContext): Promise<void> {
    if (rest.length > 0) throw new UsageError();
    const subscription = this.service.subscription(context.person, context.number);
    const entity = subscription
      ? this.service.directory.entity(subscription.entityId)
      : (context.entityId && this.service.directory.entity(context.entityId)) ||
        this.service.directory.defaultEntity();
    if (!entity) {
      await context.reply('No persona is available to write briefings.');
      return;
    }
    await this.service.sendNow({
      person: subscription?.person ?? context.person,
      entityId: entity.id,
      timeZone: subscription?.timeZone ?? this.service.settings.defaultTimeZone,
      location: subscription?.location,
      calendars: subscription?.calendars ?? [],
      feeds: subscription?.feeds ?? [],
    });
  }

  async #status(context: CommandContext): Promise<void> {
    const status = this.service.status(context.person, context.number);
    if (!status) {
      await context.reply('No briefing subscription. Try /brief subscribe 07:00 Europe/Berlin mon-fri');
      return;
    }
    const s = status.subscription;
    const parts = [`Briefing at ${s.time} ${s.timeZone} (${s.weekdays}) from ${s.entityId}`];
    if (s.origin === 'config') parts.push('set in the config file');
    if (status.today?.sentAt) parts.push(`today's was sent at ${hhmm(status.today.sentAt, s.timeZone)}`);
    if (status.next)
      parts.push(`next: ${longDate(status.next.localDate)} ${hhmm(status.next.at, s.timeZone)}`);
    if (s.location?.name) parts.push(`weather for ${s.location.name}`);
    if (s.feeds.length > 0) parts.push(`${s.feeds.length} feed(s)`);
    if (s.calendars.length > 0) parts.push(`${s.calendars.length} calendar(s)`);
    await context.reply(`${parts.join('; ')}.`);
  }

  async #calendar(rest: string[], context: CommandContext): Promise<void> {
    const [url, ...extra] = rest;
    if (!url || extra.length > 0) throw new UsageError();
    if (url.toLowerCase() === 'off')
      return this.#change(context, (s) => ({ ...s, calendars: [] }), 'Calendar removed.');
    if (!isHttpUrl(url)) throw new UsageError(`"${url}" is not an http(s) URL`);
    return this.#change(
      context,
      (s) => ({ ...s, calendars: [...s.calendars.filter((c) => c !== url), url].slice(-MAX_CALENDARS) }),
      'Calendar added.',
    );
  }

  async #feed(rest: string[], context: CommandContext): Promise<void> {
    const [action, url, ...extra] = rest;
    if (!action || !url || extra.length > 0) throw new UsageError();
    if (!isHttpUrl(url)) throw new UsageError(`"${url}" is not an http(s) URL`);
    if (action === 'add')
      return this.#change(
        context,
        (s) => {
          if (s.feeds.length >= MAX_FEEDS && !s.feeds.includes(url))
            throw new UsageError(`at most ${MAX_FEEDS} feeds`);
          return { ...s, feeds: [...s.feeds.filter((f) => f !== url), url] };
        },
        'Feed added.',
      );
    if (action === 'remove')
      return this.#change(
        context,
        (s) => ({ ...s, feeds: s.feeds.filter((f) => f !== url) }),
        'Feed removed.',
      );
    throw new UsageError(`"${action}" is not add or remove`);
  }

  /** Applies a change to the person's stored subscription. */
  async #change(
    context: CommandContext,
    change: (s: BriefingSubscription) => BriefingSubscription,
    done: string,
  ): Promise<void> {
    if (await this.#configured(context)) return;
    const current = this.service.subscription(context.person);
    if (!current) {
      await context.reply('Subscribe first: /brief subscribe 07:00 Europe/Berlin');
      return;
    }
    this.service.save(change(current));
    await context.reply(done);
  }

  /** True (after answering) when the person's briefing is set in the config file, which wins. */
  async #configured(context: CommandContext): Promise<boolean> {
    const configured = this.service.directory.configured(context.person, context.number);
    if (!configured) return false;
    await context.reply('Your briefing is set in the config file; ask the operator to change it.');
    return true;
  }
}
