// Routing overhead: the time the router adds before a request goes out, at a steady 2,000 requests/s over 4 servers.
import { percentile } from '../stats.js';
import {
  MODEL,
  WARM_UP_CONCURRENCY,
  ask,
  closedLoop,
  fourServers,
  startRouter,
  steadyLoad,
} from './bench-servers.js';

export async function routingOverhead() {
  const rate = 2000;
  const { thread, servers, settings } = await fourServers();
  const routed: number[] = [];
  let measuring = false;
  const router = await startRouter(servers, settings, {
    observe: {
      routed: (ms) => {
        if (measuring) routed.push(ms);
      },
    },
  });
  try {
    // Warm-up: keep-alive connections opened, the hot paths compiled.
    await closedLoop(4000, WARM_UP_CONCURRENCY, async () => void (await router.cluster.chat(ask(MODEL), 50)));
    measuring = true;
    const loopBefore = performance.eventLoopUtilization();
    const endToEnd: number[] = [];
    let failed = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const seconds = await steadyLoad(rate, 3000, async () => {
      const t0 = performance.now();
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await router.cluster.chat(ask(MODEL), 50);
        endToEnd.push(performance.now() - t0);
      } catch {
        failed++;
      } finally {
        inFlight--;
      }
    });
    const utilization = performance.eventLoopUtilization(loopBefore).utilization;
    routed.sort((a, b) => a - b);
    endToEnd.sort((a, b) => a - b);
    return {
      utilization,
      rate,
      completedPerSec: endToEnd.length / seconds,
      requests: endToEnd.length + failed,
      failed,
      p50: percentile(routed, 50),
      p99: percentile(routed, 99),
      max: routed.at(-1) ?? NaN,
      endToEndP50: percentile(endToEnd, 50),
      endToEndP99: percentile(endToEnd, 99),
      maxInFlight,
    };
  } finally {
    await router.stop();
    await thread.stop();
  }
}

/** A plausible quantized size for a model the fixture names without one: 7.00–9.00 GB, fixed by the name. */
