// Option checks of SignalClient and SignalReceiver: each bad value is named in the error.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { SignalClient, SignalReceiver } from '../../bots/signal/client/index.js';

const base = {
  baseUrl: 'http://127.0.0.1:8080',
  number: '+15550000001',
  timeoutMs: 1000,
  logger: silentLogger,
};

describe('SignalClient and SignalReceiver options', () => {
  it('GIVEN bad client options THEN clear errors', () => {
    expect(() => new SignalClient({ ...base, baseUrl: '127.0.0.1:8080' })).toThrow(
      'SignalClient: baseUrl must start with http:// or https://, got "127.0.0.1:8080"',
    );
    expect(() => new SignalClient({ ...base, timeoutMs: 0 })).toThrow(
      'SignalClient: timeoutMs must be a positive number, got 0',
    );
    expect(() => new SignalClient({ ...base, number: ' ' })).toThrow(
      'SignalClient: number must not be empty',
    );
  });

  it('GIVEN a fractional receive timeout THEN receive() rejects before any request', async () => {
    const client = new SignalClient(base);
    await expect(client.receive({ timeoutSeconds: 1.5 })).rejects.toThrow(
      'SignalClient.receive: timeoutSeconds must be a whole number >= 0, got 1.5',
    );
  });

  it('GIVEN bad receiver options THEN clear errors', () => {
    const r = { baseUrl: base.baseUrl, number: base.number, logger: silentLogger, onItem: () => undefined };
    expect(() => new SignalReceiver({ ...r, baseUrl: 'ws://127.0.0.1:8080' })).toThrow(
      /baseUrl must start with http/,
    );
    expect(() => new SignalReceiver({ ...r, reconnect: { initialMs: 100, maxMs: 10 } })).toThrow(
      'SignalReceiver reconnect: backoff needs 0 < initialMs <= maxMs, got 100 / 10',
    );
    expect(() => new SignalReceiver({ ...r, pingIntervalMs: 0 })).toThrow(
      'SignalReceiver: pingIntervalMs must be > 0',
    );
  });
});
