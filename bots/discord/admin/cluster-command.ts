// /chorus cluster status|load|unload: the LM Studio cluster's servers (health, breaker, memory, slots, loaded
// models, last error) and its queue, and loading or unloading a model by hand.
import type { Cluster, ClusterStatus } from '../../../cluster/cluster.js';
import { BYTES_PER_GB } from '../../../cluster/core/server-state.js';
import { AdminCommandError, answer, defer, type AdminRequest } from './admin-request.js';
import { paginate } from './message-pages.js';

const gb = (bytes: number) => (bytes / BYTES_PER_GB).toFixed(1);

export function clusterStatusText(status: ClusterStatus): string[] {
  const blocks = status.servers.map((s) => {
    const health = !s.enabled ? 'disabled' : s.healthy ? 'healthy' : '**unhealthy**';
    const breaker = s.breaker.state === 'closed' ? 'breaker closed' : `**breaker ${s.breaker.state}**`;
    const models =
      s.loaded.length > 0
        ? s.loaded
            .map((m) => `${m.key}${m.loading ? ' (loading)' : ''}${m.inFlight > 0 ? ` ×${m.inFlight}` : ''}`)
            .join(', ')
        : 'none';
    const lastError = s.recentErrors.at(-1);
    return [
      `**${s.name}** \`${s.id}\` — ${health}, ${breaker}, ${s.inFlight}/${s.parallelSlots} slots busy, ${gb(s.usedMemoryBytes)}/${gb(s.memoryBytes)} GB`,
      `  loaded: ${models}`,
      ...(lastError ? [`  last error: ${lastError.code}: ${lastError.message}`] : []),
    ].join('\n');
  });
  return paginate(
    `**Cluster** (${status.strategy}): ${status.servers.length} servers, ${status.inFlight} requests running, ${status.queueDepth} queued`,
    blocks,
  );
}

function clusterOf(request: AdminRequest): Cluster {
  const cluster = request.deps.context.cluster;
  if (!cluster?.hasServers) {
    throw new AdminCommandError('no LM Studio servers configured (lmStudioServers in the config)');
  }
  return cluster;
}

export async function clusterStatus(request: AdminRequest): Promise<void> {
  const pages = clusterStatusText(clusterOf(request).status());
  await answer(request.interaction, pages[0] as string);
}

export async function clusterLoad(request: AdminRequest, model: string, server?: string): Promise<void> {
  const cluster = clusterOf(request);
  await defer(request.interaction);
  const result = await cluster.load(model, server);
  request.logger.info('model loaded by an admin', {
    model,
    server: result.server,
    user: request.interaction.user.id,
  });
  await answer(
    request.interaction,
    result.alreadyLoaded
      ? `${model} is already loaded (or loading) on ${result.server}`
      : `Loaded ${model} on ${result.server}`,
  );
}

export async function clusterUnload(request: AdminRequest, model: string, server?: string): Promise<void> {
  const cluster = clusterOf(request);
  await defer(request.interaction);
  const servers = await cluster.unload(model, server);
  request.logger.info('model unloaded by an admin', { model, servers, user: request.interaction.user.id });
  await answer(request.interaction, `Unloaded ${model} from ${servers.join(', ')}`);
}
