// Writes a briefing in the subscriber's chosen persona. The facts go to the engine's responder as a
// synthetic message in the person's DM with the entity; a reply from a language model is the briefing. When
// the reply comes from the Markov fallback or from nothing, a template briefing is sent instead (a greeting in
// the persona's name and the facts as short lines, with one Markov line for flavour), so facts are never lost.
import { dmChannel, type StoredMessage } from '../../core/message.js';
import type { Logger } from '../../core/logger.js';
import type { EntityConfig } from '../../entities/config/index.js';
import type { Responder } from '../engine/responder.js';
import { sectionLine, type BriefingFacts } from './fact-gatherer.js';
import { localParts, weekdayOf } from '../../core/local-time.js';

const FLAVOUR_MAX = 160;

/** "Saturday, 21 November" for a YYYY-MM-DD date. */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function longDate(date: string): string {
  const [, m = 1, d] = date.split('-').map(Number);
  return `${WEEKDAYS[weekdayOf(date)]}, ${d} ${MONTHS[m - 1]}`;
}

/** "Good morning" before noon, "Good afternoon" before 18:00, then "Good evening" (subscriber's local time). */
export function greeting(now: number, zone: string): string {
  const hour = localParts(now, zone).hour;
  return hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

/** The briefing without a language model: greeting, date, one line per section, optional flavour line. */
export function templateBriefing(
  facts: BriefingFacts,
  entity: Pick<EntityConfig, 'username'>,
  now: number,
  flavour?: string,
): string {
  const lines = [
    `${greeting(now, facts.timeZone)}! ${entity.username} here with your briefing for ${longDate(facts.localDate)}.`,
    ...facts.sections.map(sectionLine),
  ];
  const extra = flavour?.replace(/\s+/g, ' ').trim();
  if (extra)
    lines.push(
      `${entity.username} adds: ${extra.length > FLAVOUR_MAX ? `${extra.slice(0, FLAVOUR_MAX - 1)}…` : extra}`,
    );
  return lines.join('\n');
}

/** The request the persona answers: what to write, and every fact it must keep. */
export function briefingPrompt(facts: BriefingFacts, now: number): string {
  return [
    `${greeting(now, facts.timeZone)}! Please write my briefing for ${longDate(facts.localDate)} in your own voice:`,
    'a short greeting, then every fact below in a few short lines (keep times, numbers and titles exactly;',
    'say plainly when a source is unavailable). Do not invent anything.',
    '',
    ...facts.sections.map(sectionLine),
  ].join('\n');
}

export interface WrittenBriefing {
  text: string;
  /** 'llm' when a language model wrote it; otherwise the template was used. */
  source: 'llm' | 'template';
}

export class BriefingWriter {
  constructor(
    private readonly responder: Pick<Responder, 'respond'>,
    private readonly logger: Logger,
  ) {}

  async write(facts: BriefingFacts, entity: EntityConfig, now: number): Promise<WrittenBriefing> {
    const message: StoredMessage = {
      id: 0,
      platform: 'signal',
      channel: dmChannel(entity.id, facts.person),
      platformId: `briefing:${facts.person}:${facts.localDate}`,
      author: 'briefing',
      authorId: facts.person,
      isBot: false,
      mentions: [entity.id],
      text: briefingPrompt(facts, now),
      createdAt: now,
    };
    let flavour: string | undefined;
    try {
      const reply = await this.responder.respond(entity, message, []);
      if (reply && reply.source === 'llm') return { text: reply.parts.join('\n'), source: 'llm' };
      if (reply && reply.source === 'markov') flavour = reply.parts[0];
    } catch (error) {
      this.logger.warn('the persona could not write the briefing; using the template', {
        entity: entity.id,
        error: (error as Error).message,
      });
    }
    return { text: templateBriefing(facts, entity, now, flavour), source: 'template' };
  }
}
