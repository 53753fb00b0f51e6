// Signal's two group ids: signal-cli's internal id (what incoming messages carry in groupInfo.groupId) and the
// REST id `group.` + base64(internal id as text) that /v2/send, typing and reactions expect (reference §1.6).

const PREFIX = 'group.';

/** 'group.' + base64(internalId as utf8); sending to the internal id itself fails on the server. */
export function toGroupSendId(internalId: string): string {
  if (internalId.startsWith(PREFIX)) {
    throw new Error(`toGroupSendId: "${internalId}" is already a group send id, not an internal id`);
  }
  return PREFIX + Buffer.from(internalId, 'utf8').toString('base64');
}

/** The internal id inside a `group.…` send id. */
export function fromGroupSendId(id: string): string {
  if (!isGroupSendId(id)) throw new Error(`fromGroupSendId: "${id}" does not start with "${PREFIX}"`);
  const encoded = id.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new Error(`fromGroupSendId: "${id}" is not base64 after "${PREFIX}"`);
  }
  return Buffer.from(encoded, 'base64').toString('utf8');
}

export function isGroupSendId(id: string): boolean {
  return id.startsWith(PREFIX);
}
