// The fake's Swagger 2.0 subset validator against the real spec file: what it accepts and what it reports.
import { describe, expect, it } from 'vitest';
import { SpecValidator, SWAGGER_MASTER } from '../fakes/signal/index.js';

const spec = SpecValidator.fromFile();
const N = '+15550000001';

describe('SpecValidator (swagger-0.100.json)', () => {
  it('GIVEN well-formed requests THEN no violations', () => {
    expect(spec.validate({ method: 'GET', path: '/v1/about', query: {}, body: undefined })).toEqual([]);
    expect(
      spec.validate({
        method: 'GET',
        path: `/v1/receive/${N}`,
        query: { timeout: '5', max_messages: '10' },
        body: undefined,
      }),
    ).toEqual([]);
    const send = {
      number: N,
      recipients: ['+15550000002'],
      message: 'hi',
      mentions: [{ start: 0, length: 1, author: 'x' }],
    };
    expect(spec.validate({ method: 'POST', path: '/v2/send', query: {}, body: send })).toEqual([]);
    expect(
      spec.validate({
        method: 'DELETE',
        path: `/v1/typing-indicator/${N}`,
        query: {},
        body: { recipient: 'x' },
      }),
    ).toEqual([]);
    expect(
      spec.validate({ method: 'GET', path: `/v1/groups/${N}`, query: { expand: 'true' }, body: undefined }),
    ).toEqual([]);
  });

  it('GIVEN an unknown path or method THEN reported', () => {
    expect(spec.validate({ method: 'GET', path: '/v3/send', query: {}, body: undefined })).toEqual([
      'GET /v3/send: no such path in the spec',
    ]);
    expect(spec.validate({ method: 'PATCH', path: '/v2/send', query: {}, body: {} })).toEqual([
      'PATCH /v2/send: PATCH is not defined for /v2/send',
    ]);
  });

  it('GIVEN missing and mistyped body fields THEN each is reported with its path', () => {
    const problems = spec.validate({
      method: 'POST',
      path: '/v2/send',
      query: {},
      body: {
        number: N,
        recipients: 'x',
        quote_timestamp: '17',
        text_mode: 'bold',
        mentions: [{ start: 0 }],
        extra: 1,
      },
    });
    expect(problems).toEqual([
      'POST /v2/send: body.message is required',
      'POST /v2/send: body.recipients: expected an array, got the string "x"',
      'POST /v2/send: body.quote_timestamp: expected an integer, got the string "17"',
      'POST /v2/send: body.text_mode: "bold" is not one of ["normal","styled"]',
      'POST /v2/send: body.mentions[0].author is required',
      'POST /v2/send: body.mentions[0].length is required',
      'POST /v2/send: body.extra is not in the spec',
    ]);
  });

  it('GIVEN a DELETE without its required body, a bad query type or an unknown query param THEN reported', () => {
    expect(
      spec.validate({ method: 'DELETE', path: `/v1/reactions/${N}`, query: {}, body: undefined }),
    ).toEqual(['DELETE /v1/reactions/{number}: the body is required']);
    expect(
      spec.validate({
        method: 'GET',
        path: `/v1/groups/${N}`,
        query: { expand: 'yes', x: '1' },
        body: undefined,
      }),
    ).toEqual([
      'GET /v1/groups/{number}: query parameter expand must be true or false, got "yes"',
      'GET /v1/groups/{number}: query parameter x is not in the spec',
    ]);
  });

  it('GIVEN a literal segment and a template competing THEN the more literal route wins', () => {
    expect(
      spec.validate({
        method: 'POST',
        path: `/v1/accounts/${N}/rate-limit-challenge`,
        query: {},
        body: { challenge_token: 't', captcha: 'c' },
      }),
    ).toEqual([]);
  });
});

describe('SpecValidator (swagger-master-a08db23.json)', () => {
  it('GIVEN master THEN the same requests validate the same way', () => {
    const master = SpecValidator.fromFile(SWAGGER_MASTER);
    const send = { number: N, recipients: ['+15550000002'], message: 'hi' };
    expect(master.validate({ method: 'POST', path: '/v2/send', query: {}, body: send })).toEqual([]);
    expect(master.validate({ method: 'POST', path: '/v2/send', query: {}, body: { number: N } })).toEqual(
      spec.validate({ method: 'POST', path: '/v2/send', query: {}, body: { number: N } }),
    );
  });
});
