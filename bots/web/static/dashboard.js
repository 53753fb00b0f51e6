// The dashboard: polls the API every two seconds and shows the LM Studio cluster (each server's health,
// breaker, memory, requests in flight, loaded models and last error), the entities with their rate-limit
// state, and the newest replies with their delivery state. Text goes in with textContent only.
const summary = document.getElementById('cluster-summary');
const servers = document.getElementById('servers');
const entities = document.getElementById('entities');
const replies = document.getElementById('replies');

const gb = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;
const time = (ms) => new Date(ms).toLocaleTimeString();

function cell(text, bad = false) {
  const td = document.createElement('td');
  td.textContent = text;
  if (bad) td.className = 'bad';
  return td;
}

function fill(table, rows) {
  table.querySelector('tbody').replaceChildren(
    ...rows.map((cells) => {
      const row = document.createElement('tr');
      row.append(...cells);
      return row;
    }),
  );
  table.hidden = rows.length === 0;
}

function renderCluster(status) {
  summary.textContent =
    `${status.servers.length} server(s), strategy ${status.strategy}, ` +
    `${status.inFlight} request(s) in flight, ${status.queueDepth} queued`;
  fill(
    servers,
    status.servers.map((s) => {
      const last = s.recentErrors.at(-1);
      return [
        cell(`${s.name} (${s.url})`),
        cell(!s.enabled ? 'disabled' : s.healthy ? 'healthy' : 'unhealthy', !s.healthy),
        cell(s.breaker.state, s.breaker.state !== 'closed'),
        cell(`${gb(s.usedMemoryBytes)} of ${gb(s.memoryBytes)}`),
        cell(`${s.inFlight} of ${s.parallelSlots}`),
        cell(s.loaded.map((m) => (m.loading ? `${m.key} (loading)` : m.key)).join(', ') || '—'),
        cell(last ? `${last.code}: ${last.message}` : '—', Boolean(last)),
      ];
    }),
  );
}

function renderEntities(list) {
  const now = Date.now();
  fill(
    entities,
    list.map((e) => {
      const limited = e.rate && e.rate.nextAllowedAt > now;
      return [
        cell(`${e.username} (${e.id})`),
        cell(e.enabled ? 'enabled' : 'disabled', !e.enabled),
        cell(e.platforms.join(', ') || '—'),
        cell(String(e.responseChance)),
        cell(e.rate ? `${e.rate.postsLastMinute} / ${e.rate.postsLastHour}` : 'no limits'),
        cell(limited ? `held until ${time(e.rate.nextAllowedAt)}` : 'now', limited),
      ];
    }),
  );
}

function renderReplies(list) {
  fill(
    replies,
    list.map((r) => [
      cell(time(r.createdAt)),
      cell(r.entity),
      cell(`${r.platform} ${r.channel}`),
      cell(r.source),
      cell(r.state === 'failed' ? `failed: ${r.lastError}` : r.state, r.state !== 'sent'),
      cell(r.text.length > 120 ? `${r.text.slice(0, 119)}…` : r.text),
    ]),
  );
}

async function getJson(path) {
  const res = await fetch(path);
  return res.ok ? res.json() : undefined;
}

async function refresh() {
  try {
    const [cluster, entityList, replyList] = await Promise.all([
      getJson('/api/cluster'),
      getJson('/api/entities'),
      getJson('/api/replies?limit=20'),
    ]);
    if (cluster) renderCluster(cluster);
    else summary.textContent = 'No LM Studio cluster is running.';
    if (entityList) renderEntities(entityList.entities);
    if (replyList) renderReplies(replyList.replies);
  } catch {
    summary.textContent = 'Chorus is not answering.';
  }
}

refresh();
window.setInterval(refresh, 2000);
