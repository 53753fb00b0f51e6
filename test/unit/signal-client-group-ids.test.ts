// The two group-id forms (reference §1.6), checked against real pairs from signal-cli-rest-api issues, and the
// fake's /v2/send recipient rules that reject the wrong form.
import { describe, expect, it } from 'vitest';
import { fromGroupSendId, isGroupSendId, toGroupSendId } from '../../bots/signal/client/index.js';
import { recipientsError } from '../fakes/signal/index.js';

// Issue #694: a v2 group (32-byte id) as GET /v1/groups lists it.
const V2_INTERNAL = '2DicEQ5lOnSc516Tte0nVAd4dSofTvryO3zsZjwEetg=';
const V2_ID = 'group.MkRpY0VRNWxPblNjNTE2VHRlMG5WQWQ0ZFNvZlR2cnlPM3pzWmp3RWV0Zz0=';
// Issue #49: an old v1 group (16-byte id).
const V1_INTERNAL = 'fADEhQL31WMpnnwd4ahmRw==';
const V1_ID = 'group.ZkFERWhRTDMxV01wbm53ZDRhaG1Sdz09';

describe('group ids', () => {
  it('GIVEN the issue #694 internal id THEN toGroupSendId gives the listed id (66 characters) and back', () => {
    expect(toGroupSendId(V2_INTERNAL)).toBe(V2_ID);
    expect(V2_ID).toHaveLength(66);
    expect(fromGroupSendId(V2_ID)).toBe(V2_INTERNAL);
  });

  it('GIVEN the issue #49 pair THEN the conversion matches too', () => {
    expect(toGroupSendId(V1_INTERNAL)).toBe(V1_ID);
    expect(fromGroupSendId(V1_ID)).toBe(V1_INTERNAL);
  });

  it('GIVEN the wrong form THEN a clear error', () => {
    expect(() => toGroupSendId(V2_ID)).toThrow(/already a group send id/);
    expect(() => fromGroupSendId(V2_INTERNAL)).toThrow(/does not start with "group\."/);
    expect(() => fromGroupSendId('group.not base64!')).toThrow(/not base64/);
    expect(isGroupSendId(V2_ID)).toBe(true);
    expect(isGroupSendId(V2_INTERNAL)).toBe(false);
  });
});

describe('the fake /v2/send recipient rules', () => {
  it('GIVEN one v2 group id THEN accepted; GIVEN a v1 (16-byte) group THEN the real size error', () => {
    expect(recipientsError([V2_ID])).toBeUndefined();
    expect(recipientsError([V1_ID])).toBe('Invalid Signal group size (16');
  });

  it('GIVEN mixes the server refuses THEN its texts', () => {
    expect(recipientsError([V2_ID, '+15550000002'])).toMatch(
      /^Signal Messenger Groups and phone numbers cannot/,
    );
    expect(recipientsError([V2_ID, 'alice.01'])).toMatch(/^Signal Messenger Groups and usernames cannot/);
    expect(recipientsError(['+15550000002', 'alice.01'])).toMatch(
      /^Signal Messenger phone numbers and usernames/,
    );
    const other = toGroupSendId(Buffer.alloc(32, 7).toString('base64'));
    expect(recipientsError([V2_ID, other])).toMatch(
      /^A signal message cannot be sent to more than one group/,
    );
  });

  it('GIVEN numbers and UUIDs together THEN accepted (both are "numbers" to the server)', () => {
    expect(recipientsError(['+15550000002', 'b73a0708-1111-4222-8333-f7f432d7bf6c'])).toBeUndefined();
  });

  it('GIVEN a short undecodable group. suffix THEN a username; a long one THEN an invalid identifier', () => {
    expect(recipientsError(['group.x'])).toBeUndefined();
    expect(recipientsError(['group.this-is-not-base64'])).toBe('Invalid identifier group.this-is-not-base64');
  });
});
