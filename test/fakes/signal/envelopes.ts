// Builds received items the way signal-cli serialises them (reference §1.3): `{"envelope":…,"account":…}` with
// the always-present fields null rather than missing, numeric timestamps, and group messages carrying only the
// group's internal id in groupInfo.groupId.

export interface IncomingSpec {
  from: { uuid: string; number?: string; name?: string; device?: number };
  text: string;
  /** The group's name; the fake looks up its internal id. */
  group?: string;
  timestamp?: number;
  mentions?: object[];
  quote?: object;
  attachments?: object[];
}

export function messageItem(
  account: string,
  spec: IncomingSpec,
  timestamp: number,
  group?: { internalId: string; name: string },
): Record<string, unknown> {
  const dataMessage: Record<string, unknown> = {
    timestamp,
    message: spec.text,
    expiresInSeconds: 0,
    viewOnce: false,
  };
  if (spec.mentions !== undefined) dataMessage['mentions'] = spec.mentions;
  if (spec.quote !== undefined) dataMessage['quote'] = spec.quote;
  if (spec.attachments !== undefined) dataMessage['attachments'] = spec.attachments;
  if (group !== undefined) {
    dataMessage['groupInfo'] = {
      groupId: group.internalId,
      groupName: group.name,
      revision: 1,
      type: 'DELIVER',
    };
  }
  return {
    envelope: {
      source: spec.from.number ?? spec.from.uuid,
      sourceNumber: spec.from.number ?? null,
      sourceUuid: spec.from.uuid,
      sourceName: spec.from.name ?? null,
      sourceDevice: spec.from.device ?? 1,
      timestamp,
      serverReceivedTimestamp: timestamp + 40,
      serverDeliveredTimestamp: timestamp + 90,
      dataMessage,
    },
    account,
  };
}

interface Person {
  uuid: string;
  number?: string;
  name?: string;
  device?: number;
}

function envelopeOf(account: string, from: Person, timestamp: number, content: Record<string, unknown>) {
  return {
    envelope: {
      source: from.number ?? from.uuid,
      sourceNumber: from.number ?? null,
      sourceUuid: from.uuid,
      sourceName: from.name ?? null,
      sourceDevice: from.device ?? 1,
      timestamp,
      serverReceivedTimestamp: timestamp + 40,
      serverDeliveredTimestamp: timestamp + 90,
      ...content,
    },
    account,
  };
}

const dataOf = (timestamp: number, extra: Record<string, unknown>, groupInternalId?: string) => ({
  timestamp,
  message: null,
  expiresInSeconds: 0,
  viewOnce: false,
  ...extra,
  ...(groupInternalId === undefined ? {} : { groupInfo: { groupId: groupInternalId, type: 'DELIVER' } }),
});

/** Builders for the other received items (for incomingRaw), in signal-cli's shapes. */
export const signalItems = {
  edit(
    account: string,
    from: Person,
    timestamp: number,
    target: number,
    text: string,
    groupInternalId?: string,
  ) {
    return envelopeOf(account, from, timestamp, {
      editMessage: {
        targetSentTimestamp: target,
        dataMessage: dataOf(timestamp, { message: text }, groupInternalId),
      },
    });
  },
  remoteDelete(account: string, from: Person, timestamp: number, target: number, groupInternalId?: string) {
    return envelopeOf(account, from, timestamp, {
      dataMessage: dataOf(timestamp, { remoteDelete: { timestamp: target } }, groupInternalId),
    });
  },
  reaction(
    account: string,
    from: Person,
    timestamp: number,
    reaction: { emoji: string; targetAuthor: string; target: number; isRemove?: boolean },
    groupInternalId?: string,
  ) {
    const byNumber = reaction.targetAuthor.startsWith('+');
    return envelopeOf(account, from, timestamp, {
      dataMessage: dataOf(
        timestamp,
        {
          reaction: {
            emoji: reaction.emoji,
            targetAuthor: reaction.targetAuthor,
            targetAuthorNumber: byNumber ? reaction.targetAuthor : null,
            targetAuthorUuid: byNumber ? null : reaction.targetAuthor,
            targetSentTimestamp: reaction.target,
            isRemove: reaction.isRemove ?? false,
          },
        },
        groupInternalId,
      ),
    });
  },
  readReceipt(account: string, from: Person, timestamp: number, targets: number[]) {
    return envelopeOf(account, from, timestamp, {
      receiptMessage: {
        when: timestamp,
        isDelivery: false,
        isRead: true,
        isViewed: false,
        timestamps: targets,
      },
    });
  },
  typing(account: string, from: Person, timestamp: number, action: 'STARTED' | 'STOPPED') {
    return envelopeOf(account, from, timestamp, { typingMessage: { action, timestamp } });
  },
  /** What a linked device sees when the account itself sent `text` from another device. */
  syncSent(account: string, self: Person, timestamp: number, destination: string, text: string) {
    return envelopeOf(account, self, timestamp, {
      syncMessage: {
        sentMessage: {
          destination,
          destinationNumber: destination,
          destinationUuid: null,
          timestamp,
          message: text,
          expiresInSeconds: 0,
          viewOnce: false,
        },
      },
    });
  },
  decryptionFailure(account: string, from: Person, timestamp: number) {
    return {
      ...envelopeOf(account, from, timestamp, {}),
      exception: {
        message: 'org.signal.libsignal.protocol.InvalidMessageException: invalid Whisper message',
        type: 'ProtocolInvalidMessageException',
      },
    };
  },
};
