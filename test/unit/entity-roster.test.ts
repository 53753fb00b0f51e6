import { describe, expect, it } from 'vitest';
import { dmChannel, dmEntity } from '../../core/message.js';
import { validateConfig } from '../../entities/config/index.js';
import { EntityRoster } from '../../entities/entity-roster.js';

const roster = () => {
  const { config } = validateConfig(
    {
      entities: [
        {
          id: 'ada',
          username: 'Ada',
          platforms: { discord: { channels: ['111'], dms: true }, signal: { groups: ['g1'], dms: true } },
        },
        {
          id: 'bob',
          username: 'Bob',
          platforms: { discord: { channels: ['111'] }, signal: { groups: ['g1'] } },
        },
      ],
    },
    'test.json',
    {},
  );
  return new EntityRoster(config.entities);
};

describe('EntityRoster casts', () => {
  it('GIVEN a group channel THEN every entity configured for it is in the cast', () => {
    expect(
      roster()
        .cast('discord', '111')
        .entities.map((e) => e.id),
    ).toEqual(['ada', 'bob']);
    expect(
      roster()
        .cast('signal', 'g1')
        .entities.map((e) => e.id),
    ).toEqual(['ada', 'bob']);
    expect(roster().cast('discord', '222').entities).toEqual([]);
  });

  it('GIVEN a direct-message channel THEN only its owner is in the cast, and only with DMs enabled', () => {
    const r = roster();
    expect(r.cast('discord', dmChannel('ada', 'u1')).entities.map((e) => e.id)).toEqual(['ada']);
    expect(r.cast('signal', dmChannel('ada', '+15550001')).entities.map((e) => e.id)).toEqual(['ada']);
    expect(r.cast('discord', dmChannel('bob', 'u1')).entities).toEqual([]);
  });

  it('reads the owner back from a DM channel name', () => {
    expect(dmEntity(dmChannel('ada', 'u:1'))).toBe('ada');
    expect(dmEntity('general')).toBeUndefined();
    expect(dmEntity('dm:')).toBeUndefined();
  });
});
