// Failover: one of 4 servers killed under a steady load; failed requests and the time until none touches the dead server.
import {
  LmStudioClient,
  type ChatOptions,
  type ChatReply,
  type ChatRequest,
} from '../../../cluster/client/index.js';
import { systemClock } from '../../../core/clock.js';
import {
  MODEL,
  WARM_UP_CONCURRENCY,
  ask,
  closedLoop,
  fourServers,
  startRouter,
  steadyLoad,
} from './bench-servers.js';

export async function failover() {
  const rate = 1000;
  const killAfterMs = 1000;
  const { thread, servers, settings } = await fourServers();
  const victimUrl = thread.urls[0] as string;
  let killedAt = Infinity;
  /** Requests that tried the dead server after the kill (in flight there then, or sent there later). */
  const touched = new Set<ChatRequest>();
  let lastAttemptAt = -Infinity;
  class TracingClient extends LmStudioClient {
    override async chat(request: ChatRequest, options?: ChatOptions): Promise<ChatReply> {
      if (this.server !== victimUrl) return super.chat(request, options);
      const started = performance.now();
      try {
        return await super.chat(request, options);
      } catch (error) {
        if (performance.now() >= killedAt) {
          touched.add(request);
          lastAttemptAt = Math.max(lastAttemptAt, started);
        }
        throw error;
      }
    }
  }
  const router = await startRouter(servers, settings, {
    makeClient: (url) => new TracingClient({ baseUrl: url }),
  });
  const victim = router.registry.states().find((s) => s.url === victimUrl);
  try {
    await closedLoop(2000, WARM_UP_CONCURRENCY, async () => void (await router.cluster.chat(ask(MODEL), 50)));
    let requests = 0;
    let failed = 0;
    let recoveredAt = -Infinity;
    let healthyAtRecovery: boolean | null = null;
    await steadyLoad(
      rate,
      3000,
      async () => {
        const request = ask(MODEL);
        requests++;
        try {
          await router.cluster.chat(request, 50);
        } catch {
          failed++;
        }
        if (touched.has(request) && performance.now() > recoveredAt) {
          recoveredAt = performance.now();
          healthyAtRecovery = victim?.healthy ?? null;
        }
      },
      (elapsed) => {
        if (elapsed < killAfterMs || killedAt !== Infinity) return;
        killedAt = performance.now();
        thread.down(0);
      },
    );
    return {
      rate,
      requests,
      failed,
      failedOver: touched.size,
      recoveryMs: touched.size === 0 ? 0 : recoveredAt - killedAt,
      lastAttemptMs: touched.size === 0 ? 0 : lastAttemptAt - killedAt,
      healthCheckIntervalMs: settings.pollInterval ?? settings.healthCheckInterval,
      healthyAtRecovery,
      breakerAtEnd: victim?.breaker.state(systemClock.now()) ?? null,
    };
  } finally {
    await router.stop();
    await thread.stop();
  }
}
