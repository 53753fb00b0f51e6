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
