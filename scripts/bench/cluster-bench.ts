// `chorus bench cluster`: the LM Studio router against in-process simulators on 127.0.0.1: the time it adds before a
// request goes out at 2,000 requests/s, the model-affinity hit rate of the 32-entity fixture on 2 servers of 120 GB,
// and failover with one of 4 servers killed under load.
import { existsSync } from 'node:fs';
import { round, type BenchResult } from './stats.js';
import { affinity } from './cluster/affinity.js';
import { FIXTURE, SLOTS } from './cluster/bench-servers.js';
import { failover } from './cluster/failover.js';
import { routingOverhead } from './cluster/routing-overhead.js';

export async function benchCluster(): Promise<BenchResult> {
  const notes: string[] = [];
  const r = await routingOverhead();
  const a = existsSync(FIXTURE) ? await affinity(500, 3000, 1000) : undefined;
  if (!a) notes.push(`affinity hit rate skipped: ${FIXTURE} is absent`);
  const f = await failover();
  notes.push(
    'simulators run in this process on 127.0.0.1 (port 0), with no token delay; for routing and failover on a ' +
      "worker thread of their own, so that their half of each request does not run on the router's event loop. " +
      'Replies are streamed, as the fleet asks for them, and short (4 tokens): this 2-core machine then offers ' +
      "2,000 requests/s with room to spare (routingEventLoopUtilization: the busy share of the router's thread)",
    'routing overhead: per attempt, from entering Cluster.chat to the server acquired just before the request ' +
      `goes out (ClusterOptions.observe.routed), at a steady ${r.rate} requests/s for 3 s (each request started ` +
      `in a macrotask of its own) over 4 servers that hold the model, ${SLOTS} slots each so that requests do not ` +
      'wait for a slot (unless routingMaxInFlight reaches routingSlots); end-to-end adds the HTTP round trip and ' +
      'the stream. LiteLLM publishes 2–12 ms median and 13–43 ms p99 proxy overhead',
    'affinity: the enabled entities of the fixture, each asking for entityModel(entity), on its 2 servers of ' +
      '120 GB (model-affinity, prewarmed). The fixture gives no model sizes: each model gets 7.00–9.00 GB from a ' +
      'hash of its name; loads take 5 ms. Entities are picked uniformly at random (seed 42), one request at a ' +
      'time after 500 warm-up requests; loads and evictions count the measured requests. A hit is a request ' +
      'served by a server where its model was loaded (not loading) when it was sent. With uniform demand the ' +
      'expected hit rate is the mean share of the models loaded when requests are sent (affinityResidentShare): ' +
      'how many models fit decides it. affinityOverlap*: 1,000 more requests, 4 at a time',
    `failover: ${f.rate} requests/s for 3 s over 4 servers holding the model; one is killed (listener closed, ` +
      'connections destroyed) after 1 s. Recovery is from the kill until the last request that tried the dead ' +
      'server (in flight there at the kill, or sent there later) completed on another. Health checks keep their ' +
      `${f.healthCheckIntervalMs} ms interval; the breaker opens on the first refused connection. Its half-open ` +
      "probe after the 5 s cooldown (one request, failed over like the rest) falls outside the run. Olla's health " +
      'loop ticks every 30 s',
  );
  return {
    suite: 'cluster',
    figures: {
      routingOfferedRatePerSec: r.rate,
      routingCompletedPerSec: Math.round(r.completedPerSec),
      routingRequests: r.requests,
      routingFailedRequests: r.failed,
      routingOverheadP50Ms: round(r.p50),
      routingOverheadP99Ms: round(r.p99),
      routingOverheadMaxMs: round(r.max),
      endToEndP50Ms: round(r.endToEndP50),
      endToEndP99Ms: round(r.endToEndP99),
      routingMaxInFlight: r.maxInFlight,
      routingSlots: 4 * SLOTS,
      routingEventLoopUtilization: round(r.utilization, 2),
      affinityEntities: a?.entities ?? null,
      affinityModels: a?.models ?? null,
      affinityModelsTotalGb: a ? round(a.modelsGb, 1) : null,
      affinityServersTotalGb: a?.memoryGb ?? null,
      affinityPrewarmedModels: a?.prewarmed ?? null,
      affinityResidentModelsMean: a ? round(a.steady.residentModels, 1) : null,
      affinityRequests: a?.requests ?? null,
      affinityHitRate: a ? round(a.steady.hitRate) : null,
      affinityResidentShare: a ? round(a.steady.residentModels / a.models) : null,
      affinityLoads: a?.steady.loads ?? null,
      affinityEvictions: a?.steady.evictions ?? null,
      affinityJitLoads: a?.steady.jitLoads ?? null,
      affinityFailedRequests: a?.steady.failed ?? null,
      affinityOverlapRequests: a?.overlapping ?? null,
      affinityOverlapHitRate: a ? round(a.overlap.hitRate) : null,
      affinityOverlapJitLoads: a?.overlap.jitLoads ?? null,
      affinityOverlapFailedRequests: a?.overlap.failed ?? null,
      failoverOfferedRatePerSec: f.rate,
      failoverRequests: f.requests,
      failoverFailedRequests: f.failed,
      failoverRequestsFailedOver: f.failedOver,
      failoverLastAttemptOnDeadServerMs: round(f.lastAttemptMs, 1),
      failoverRecoveryMs: round(f.recoveryMs, 1),
      failoverHealthCheckIntervalMs: f.healthCheckIntervalMs,
      failoverDeadServerMarkedHealthyAtRecovery: f.healthyAtRecovery,
      failoverDeadServerBreakerAtEnd: f.breakerAtEnd,
    },
    budgets: [
      { figure: 'routingOverheadP99Ms', limit: '<= 1', met: r.p99 <= 1 },
      { figure: 'failoverFailedRequests', limit: '= 0', met: f.failed === 0 },
      { figure: 'failoverRecoveryMs', limit: '<= 1000', met: f.recoveryMs <= 1000 },
    ],
    notes,
  };
}
