// Signal's typing indicator while an entity's reply is generated: on at the start, renewed every ~10 s
// (clients hide it after about 15 s), off at the end. Typing is cosmetic: failures are logged at debug level
// and nothing is shown while a rate limit pauses sends.
import type { Logger } from '../../core/logger.js';
import type { ReplyActivity, ReplyProgress } from '../engine/reply-activity.js';
import type { SignalClient } from './client/index.js';
import type { SendGate } from './send-gate.js';
import { recipientOf } from './signal-sender.js';

export interface SignalTypingOptions {
  client: Pick<SignalClient, 'typing'>;
  gate: SendGate;
  logger: Logger;
  renewMs?: number;
}

export class SignalTyping implements ReplyActivity {
  constructor(private readonly o: SignalTypingOptions) {}

  begin(_entity: unknown, message: { platform: string; channel: string }): ReplyProgress | undefined {
    if (message.platform !== 'signal') return undefined;
    let recipient: string;
    try {
      recipient = recipientOf(message.channel);
    } catch {
      return undefined;
    }
    const set = (on: boolean) => {
      if (on && this.o.gate.closed) return;
      this.o.client.typing(recipient, on).catch((error: unknown) =>
        this.o.logger.debug('Signal typing indicator failed; ignored', {
          on,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    };
    set(true);
    const timer = setInterval(() => set(true), this.o.renewMs ?? 10_000);
    timer.unref();
    let ended = false;
    return {
      update: () => undefined,
      end: () => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        set(false);
      },
    };
  }
}
