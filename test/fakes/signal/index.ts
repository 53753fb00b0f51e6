// The fake signal-cli-rest-api for tests: startFakeSignal() runs one on 127.0.0.1 (port 0). See fake-server.ts.
import { FakeSignalServer, type FakeSignalOptions } from './fake-server.js';

export {
  FakeSignalServer,
  type FakeSignalOptions,
  type FakeSignalMode,
  type SentRecord,
  type RequestRecord,
} from './fake-server.js';
export { signalItems, type IncomingSpec } from './envelopes.js';
export { SpecValidator, SWAGGER_0_100, SWAGGER_MASTER } from './spec-validator.js';
export { recipientsError, usernameError } from './send-rules.js';

export type FakeSignal = FakeSignalServer;

export function startFakeSignal(options: FakeSignalOptions): Promise<FakeSignal> {
  return new FakeSignalServer(options).start();
}
