// parseIncoming over realistic received items (reference §1.3): the illustrative group message, DMs with null
// fields, and everything a bot must ignore or treat specially (receipts, typing, sync copies, its own messages,
// missing envelopes, decryption failures, edits, remote deletes, reactions, mentions, quotes, attachments).
import { describe, expect, it } from 'vitest';
import { parseIncoming, textWithMentions } from '../../bots/signal/client/index.js';
import { signalItems } from '../fakes/signal/index.js';

const BOT = '+15559999';
const ALICE_UUID = 'b73a0708-1111-4222-8333-f7f432d7bf6c';

/** The reference's illustrative group message, verbatim in shape. */
const GROUP_MESSAGE = {
  envelope: {
    source: '+15550001',
    sourceNumber: '+15550001',
    sourceUuid: ALICE_UUID,
    sourceName: 'Alice',
    sourceDevice: 1,
    timestamp: 1722868115744,
    serverReceivedTimestamp: 1722868115800,
    serverDeliveredTimestamp: 1722868115900,
    dataMessage: {
      timestamp: 1722868115744,
      message: 'Hello',
      expiresInSeconds: 0,
      viewOnce: false,
      groupInfo: {
        groupId: 'mHN1kiXgMXpKz5Ah2l110NLQHzIrYaFuC3c3mzpSoaE=',
        groupName: 'Family',
        revision: 3,
        type: 'DELIVER',
      },
    },
  },
  account: BOT,
};

function envelope(extra: Record<string, unknown>, base: Record<string, unknown> = {}) {
  return {
    envelope: {
      source: '+15550001',
      sourceNumber: '+15550001',
      sourceUuid: ALICE_UUID,
      sourceName: 'Alice',
      sourceDevice: 2,
      timestamp: 1722868200000,
      serverReceivedTimestamp: 1722868200050,
      serverDeliveredTimestamp: 1722868200090,
      ...base,
      ...extra,
    },
    account: BOT,
  };
}

const data = (message: Record<string, unknown>) => ({
  dataMessage: { timestamp: 1722868200000, message: null, expiresInSeconds: 0, viewOnce: false, ...message },
});

describe('parseIncoming', () => {
  it('GIVEN the illustrative group message THEN it is a message in the group by its internal id', () => {
    expect(parseIncoming(GROUP_MESSAGE, BOT)).toEqual({
      kind: 'message',
      sourceUuid: ALICE_UUID,
      sourceNumber: '+15550001',
      sourceName: 'Alice',
      sourceDevice: 1,
      timestamp: 1722868115744,
      text: 'Hello',
      groupInternalId: 'mHN1kiXgMXpKz5Ah2l110NLQHzIrYaFuC3c3mzpSoaE=',
      groupName: 'Family',
      mentions: [],
      attachments: [],
    });
  });

  it('GIVEN an older build without groupName (issue #571) THEN the group id still comes through', () => {
    const item = structuredClone(GROUP_MESSAGE);
    item.envelope.dataMessage.groupInfo = {
      groupId: 'mHN1kiXgMXpKz5Ah2l110NLQHzIrYaFuC3c3mzpSoaE=',
      type: 'DELIVER',
    } as never;
    const parsed = parseIncoming(item, BOT);
    expect(parsed?.groupInternalId).toBe('mHN1kiXgMXpKz5Ah2l110NLQHzIrYaFuC3c3mzpSoaE=');
    expect(parsed?.groupName).toBeUndefined();
  });

  it('GIVEN a DM from someone who hides their number (null fields) THEN sourceNumber is null and the name empty', () => {
    const item = envelope(data({ message: 'hi' }), {
      source: ALICE_UUID,
      sourceNumber: null,
      sourceName: null,
    });
    expect(parseIncoming(item, BOT)).toMatchObject({
      kind: 'message',
      sourceUuid: ALICE_UUID,
      sourceNumber: null,
      sourceName: '',
      sourceDevice: 2,
      text: 'hi',
    });
    expect(parseIncoming(item, BOT)?.groupInternalId).toBeUndefined();
  });

  it('GIVEN items a bot ignores THEN each is undefined', () => {
    const ignored: [string, unknown][] = [
      ['not an object', 'hello'],
      ['null', null],
      ['no envelope', { account: BOT }],
      [
        'decryption failure',
        {
          ...envelope(data({ message: 'x' })),
          exception: { message: 'bad mac', type: 'ProtocolInvalidMessageException' },
        },
      ],
      [
        'read receipt',
        envelope({
          receiptMessage: { when: 1, isDelivery: false, isRead: true, isViewed: false, timestamps: [1] },
        }),
      ],
      ['typing', envelope({ typingMessage: { action: 'STARTED', timestamp: 1 } })],
      [
        'sync copy of what the account sent',
        envelope({
          syncMessage: { sentMessage: { destination: '+15550002', timestamp: 5, message: 'from my phone' } },
        }),
      ],
      ['sync request', envelope({ syncMessage: { type: 'CONTACTS_SYNC' } })],
      ['own message by number', envelope(data({ message: 'echo' }), { source: BOT, sourceNumber: BOT })],
      [
        'group update without text',
        envelope(data({ groupInfo: { groupId: 'g=', type: 'UPDATE', revision: 4 } })),
      ],
      ['expiration timer update', envelope(data({ isExpirationUpdate: true, expiresInSeconds: 3600 }))],
      ['story', envelope({ storyMessage: { allowsReplies: true } })],
      [
        'no source at all',
        envelope(data({ message: 'x' }), { source: null, sourceNumber: null, sourceUuid: null }),
      ],
    ];
    for (const [what, item] of ignored) expect(parseIncoming(item, BOT), what).toBeUndefined();
  });

  it('GIVEN the bot knows its UUID THEN its own messages by UUID are ignored too', () => {
    const item = envelope(data({ message: 'echo' }), { source: ALICE_UUID, sourceNumber: null });
    expect(parseIncoming(item, BOT, ALICE_UUID)).toBeUndefined();
    expect(parseIncoming(item, BOT)).toBeDefined();
  });

  it('GIVEN an edit THEN kind edit with the new text and the edited message as target', () => {
    const item = envelope({
      editMessage: {
        targetSentTimestamp: 1722868100000,
        dataMessage: {
          timestamp: 1722868200000,
          message: 'fixed typo',
          expiresInSeconds: 0,
          viewOnce: false,
        },
      },
    });
    expect(parseIncoming(item, BOT)).toMatchObject({
      kind: 'edit',
      text: 'fixed typo',
      targetTimestamp: 1722868100000,
    });
  });

  it('GIVEN a remote delete THEN kind delete targeting the deleted message', () => {
    const item = envelope(data({ remoteDelete: { timestamp: 1722868100000 } }));
    expect(parseIncoming(item, BOT)).toMatchObject({
      kind: 'delete',
      text: '',
      targetTimestamp: 1722868100000,
    });
  });

  it('GIVEN a reaction (message null) THEN kind reaction with the emoji, its target and removal flag', () => {
    const reaction = {
      emoji: '👍',
      targetAuthor: BOT,
      targetAuthorNumber: BOT,
      targetAuthorUuid: 'bot-uuid',
      targetSentTimestamp: 1722868100000,
      isRemove: false,
    };
    expect(parseIncoming(envelope(data({ reaction })), BOT)).toMatchObject({
      kind: 'reaction',
      text: '👍',
      targetTimestamp: 1722868100000,
      reaction: { emoji: '👍', targetAuthorUuid: 'bot-uuid', targetAuthorNumber: BOT, isRemove: false },
    });
    const removed = parseIncoming(envelope(data({ reaction: { ...reaction, isRemove: true } })), BOT);
    expect(removed?.reaction?.isRemove).toBe(true);
  });

  it('GIVEN mentions as U+FFFC placeholders THEN they are kept with positions and textWithMentions names them', () => {
    const item = envelope(
      data({
        message: '\uFFFC what do you think, \uFFFC?',
        mentions: [
          { name: '+15559999', number: BOT, uuid: 'bot-uuid', start: 0, length: 1 },
          { name: 'Bob', number: null, uuid: 'bob-uuid', start: 21, length: 1 },
        ],
      }),
    );
    const parsed = parseIncoming(item, BOT);
    expect(parsed?.mentions).toEqual([
      { name: '+15559999', number: BOT, uuid: 'bot-uuid', start: 0, length: 1 },
      { name: 'Bob', uuid: 'bob-uuid', start: 21, length: 1 },
    ]);
    expect(textWithMentions(parsed!, (m) => (m.uuid === 'bot-uuid' ? '@Sage' : `@${m.name ?? '?'}`))).toBe(
      '@Sage what do you think, @Bob?',
    );
  });

  it('GIVEN a quote THEN its id, author and text come through', () => {
    const quote = {
      id: 1722868100000,
      author: BOT,
      authorNumber: BOT,
      authorUuid: 'bot-uuid',
      text: 'earlier',
      attachments: [],
    };
    expect(parseIncoming(envelope(data({ message: 'yes', quote })), BOT)?.quote).toEqual({
      id: 1722868100000,
      authorUuid: 'bot-uuid',
      authorNumber: BOT,
      text: 'earlier',
    });
  });

  it('GIVEN only an attachment THEN it is a message with empty text and the attachment', () => {
    const attachments = [
      {
        contentType: 'image/jpeg',
        filename: null,
        id: 'abc123.jpg',
        size: 5120,
        width: 64,
        height: 64,
        caption: null,
      },
      { contentType: 'image/png' },
    ];
    expect(parseIncoming(envelope(data({ attachments })), BOT)).toMatchObject({
      kind: 'message',
      text: '',
      attachments: [{ id: 'abc123.jpg', contentType: 'image/jpeg', size: 5120 }],
    });
  });

  it('GIVEN an envelope without a numeric timestamp THEN the data message timestamp is used', () => {
    const item = envelope(data({ message: 'x', timestamp: 1722868300000 }), { timestamp: null });
    expect(parseIncoming(item, BOT)?.timestamp).toBe(1722868300000);
  });
});

describe("parseIncoming over the fake server's item builders", () => {
  const ALICE = { uuid: ALICE_UUID, number: '+15550001', name: 'Alice' };
  const GROUP = 'mHN1kiXgMXpKz5Ah2l110NLQHzIrYaFuC3c3mzpSoaE=';

  it('GIVEN an edit, a delete and a reaction in a group THEN each kind with its target and the group', () => {
    const edit = parseIncoming(signalItems.edit(BOT, ALICE, 20, 10, 'new text', GROUP), BOT);
    expect(edit).toMatchObject({
      kind: 'edit',
      text: 'new text',
      targetTimestamp: 10,
      groupInternalId: GROUP,
    });
    const del = parseIncoming(signalItems.remoteDelete(BOT, ALICE, 21, 10, GROUP), BOT);
    expect(del).toMatchObject({ kind: 'delete', targetTimestamp: 10, groupInternalId: GROUP });
    const reaction = parseIncoming(
      signalItems.reaction(BOT, ALICE, 22, { emoji: '❤️', targetAuthor: BOT, target: 10 }),
      BOT,
    );
    expect(reaction).toMatchObject({
      kind: 'reaction',
      text: '❤️',
      reaction: { targetAuthorNumber: BOT, isRemove: false },
    });
  });

  it('GIVEN receipts, typing, sync copies and decryption failures THEN all ignored', () => {
    expect(parseIncoming(signalItems.readReceipt(BOT, ALICE, 30, [10]), BOT)).toBeUndefined();
    expect(parseIncoming(signalItems.typing(BOT, ALICE, 31, 'STARTED'), BOT)).toBeUndefined();
    expect(
      parseIncoming(
        signalItems.syncSent(BOT, { uuid: 'bot-uuid', number: BOT }, 32, ALICE.number, 'hi'),
        BOT,
      ),
    ).toBeUndefined();
    expect(parseIncoming(signalItems.decryptionFailure(BOT, ALICE, 33), BOT)).toBeUndefined();
  });
});
