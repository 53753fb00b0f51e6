// The dashboard: polls GET /api/cluster every two seconds and shows each server's health, breaker, memory,
// requests in flight, loaded models and last error. Text goes in with textContent only.
const summary = document.getElementById('cluster-summary');
const table = document.getElementById('servers');
const body = table.querySelector('tbody');

const gb = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

function cell(text, bad = false) {
  const td = document.createElement('td');
  td.textContent = text;
  if (bad) td.className = 'bad';
  return td;
}

function render(status) {
  summary.textContent =
    `${status.servers.length} server(s), strategy ${status.strategy}, ` +
    `${status.inFlight} request(s) in flight, ${status.queueDepth} queued`;
  body.replaceChildren(
    ...status.servers.map((s) => {
      const row = document.createElement('tr');
      const last = s.recentErrors.at(-1);
      row.append(
        cell(`${s.name} (${s.url})`),
        cell(!s.enabled ? 'disabled' : s.healthy ? 'healthy' : 'unhealthy', !s.healthy),
        cell(s.breaker.state, s.breaker.state !== 'closed'),
        cell(`${gb(s.usedMemoryBytes)} of ${gb(s.memoryBytes)}`),
        cell(`${s.inFlight} of ${s.parallelSlots}`),
        cell(s.loaded.map((m) => (m.loading ? `${m.key} (loading)` : m.key)).join(', ') || '—'),
        cell(last ? `${last.code}: ${last.message}` : '—', Boolean(last)),
      );
      return row;
    }),
  );
  table.hidden = status.servers.length === 0;
}

async function refresh() {
  try {
    const res = await fetch('/api/cluster');
    if (res.status === 404) summary.textContent = 'No LM Studio cluster is running.';
    else render(await res.json());
  } catch {
    summary.textContent = 'Chorus is not answering.';
  }
}

refresh();
window.setInterval(refresh, 2000);
