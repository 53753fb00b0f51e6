// SignalError classification of the real server's error answers (reference §1.7): json-rpc 429 with challenge
// tokens (including issue #881's [""]), normal-mode 400 captcha text, plain 400 {"error"}, 404, 5xx, transport.
import { describe, expect, it } from 'vitest';
import { parseCaptchaText, SignalError } from '../../bots/signal/client/index.js';
import { errorFromResponse, errorFromTransport } from '../../bots/signal/client/errors.js';

const SEND = 'POST /v2/send';
const RATE_LIMIT_429 = JSON.stringify({
  error:
    "Failed to send message due to rate limiting. Use the attached challenge tokens to lift the rate limit restrictions via the '/v1/accounts/{number}/rate-limit-challenge' endpoint.",
  challenge_tokens: ['6f1d3a52-aaaa-4bbb-8ccc-0123456789ab'],
  account: '+15550000001',
});
const CAPTCHA_400 = JSON.stringify({
  error:
    'CAPTCHA proof required for sending to "+15550000002", available options "RECAPTCHA, PUSH_CHALLENGE" with challenge token "0a1b2c3d-0000-4000-8000-000000000009", or wait "86400" seconds.\nFailed to send message due to rate limiting\n',
});

describe('SignalError classification', () => {
  it('GIVEN a json-rpc 429 THEN rate_limited with the challenge tokens', () => {
    const error = errorFromResponse(SEND, 429, RATE_LIMIT_429);
    expect(error).toBeInstanceOf(SignalError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      challengeTokens: ['6f1d3a52-aaaa-4bbb-8ccc-0123456789ab'],
      possiblyDelivered: false,
    });
    expect(error.message).toMatch(
      /^signal-cli-rest-api POST \/v2\/send: 429 Failed to send message due to rate limiting/,
    );
  });

  it('GIVEN a 429 with challenge_tokens [""] (issue #881) THEN rate_limited, no tokens, possibly delivered', () => {
    const body = JSON.stringify({
      error: 'Failed to send message due to rate limiting.',
      challenge_tokens: [''],
      account: '+1',
    });
    expect(errorFromResponse(SEND, 429, body)).toMatchObject({
      code: 'rate_limited',
      challengeTokens: [],
      possiblyDelivered: true,
    });
  });

  it('GIVEN a 429 without challenge_tokens (omitempty) THEN rate_limited with none', () => {
    const body = JSON.stringify({ error: 'Failed to send message due to rate limiting.', account: '+1' });
    expect(errorFromResponse(SEND, 429, body)).toMatchObject({
      code: 'rate_limited',
      challengeTokens: [],
      possiblyDelivered: false,
    });
  });

  it('GIVEN the normal-mode 400 captcha text THEN rate_limited with the token and the wait parsed out', () => {
    const error = errorFromResponse(SEND, 400, CAPTCHA_400);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 400,
      challengeTokens: ['0a1b2c3d-0000-4000-8000-000000000009'],
      retryAfterSeconds: 86400,
    });
    expect(error.message).not.toContain('\n');
  });

  it('GIVEN captcha texts THEN parseCaptchaText reads them and ignores other texts', () => {
    expect(parseCaptchaText('Failed to send message due to rate limiting')).toEqual({ challengeTokens: [] });
    expect(parseCaptchaText('Invalid Signal group size (16')).toBeUndefined();
  });

  it('GIVEN a 400 {"error"} THEN bad_request carrying the server text', () => {
    const error = errorFromResponse(
      SEND,
      400,
      '{"error":"Couldn\'t process request - please provide at least one recipient"}',
    );
    expect(error).toMatchObject({
      code: 'bad_request',
      status: 400,
      serverMessage: "Couldn't process request - please provide at least one recipient",
      challengeTokens: [],
    });
  });

  it('GIVEN 404, 401, 500 and 503 THEN not_found, unauthorized, server_error', () => {
    expect(
      errorFromResponse('GET /v1/groups/{number}/x', 404, '{"error":"No group with that id found"}').code,
    ).toBe('not_found');
    expect(errorFromResponse('GET /v1/about', 404, '404 page not found').serverMessage).toBe(
      '404 page not found',
    );
    expect(errorFromResponse('GET /v1/about', 401, '').code).toBe('unauthorized');
    expect(errorFromResponse('GET /v1/accounts', 500, '{"error":"boom"}').code).toBe('server_error');
    expect(errorFromResponse('GET /v1/about', 503, '<html>').code).toBe('server_error');
  });

  it('GIVEN a refused connection THEN network with the cause kept', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = errorFromTransport('GET /v1/about', cause);
    expect(error).toMatchObject({ code: 'network', endpoint: 'GET /v1/about' });
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('ECONNREFUSED');
  });
});
