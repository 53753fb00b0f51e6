/* global URLSearchParams, setTimeout, clearTimeout */
// Chorus playground: a dependency-free chat client for the local web bot.
// History comes from GET /messages, live updates from Server-Sent Events.

const DEFAULT_COLOR = '#8a8f98';
const DEFAULT_NAME = 'guest';
const NAME_KEY = 'chorus.author';
const HISTORY_LIMIT = 100;
const RECONNECT_DELAY_MS = 3000;
const BOTTOM_SLACK_PX = 48;
const KNOWN_SOURCES = ['llm', 'markov', 'none'];
const TIME_FORMAT = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

// Every element with an id in index.html, keyed by id (els.messages, els.composer, ...).
const els = Object.fromEntries([...document.querySelectorAll('[id]')].map((node) => [node.id, node]));

const state = {
  channels: [], // [{name, entities: [entity id]}]
  entities: new Map(), // entity id -> {id, username, color, enabled}
  channel: null,
  messages: new Map(), // message id -> message: de-duplication and replyTo lookups
  lastId: 0,
  source: null,
  retryTimer: null,
  // Bumped on every channel switch / reconnect so stale async work can notice and bail out.
  generation: 0,
};

function channelUrl(channel, suffix) {
  return `/api/channels/${encodeURIComponent(channel)}/${suffix}`;
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(await errorMessage(res));
  return res.json();
}

// The server reports failures as {"error": "..."}; fall back to the HTTP status if the body is not JSON.
async function errorMessage(res) {
  const body = await res.json().catch(() => null);
  if (body && typeof body.error === 'string') return body.error;
  return `${res.status} ${res.statusText}`.trim();
}

function describe(err) {
  return err instanceof Error ? err.message : String(err);
}

// Entity colours come from config; validate them through the CSS parser instead of trusting the string.
function safeColor(color) {
  if (typeof color !== 'string' || color === '') return DEFAULT_COLOR;
  const probe = document.createElement('span').style;
  probe.color = color;
  return probe.color ? color : DEFAULT_COLOR;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], TIME_FORMAT);
}

// All user-supplied strings go through textContent, never innerHTML.
function el(tag, className, text, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  node.append(...children);
  return node;
}

function setStatus(text, kind) {
  els.status.textContent = text;
  els.status.dataset.kind = kind;
}

function showError(message) {
  els.error.textContent = message;
  els.error.hidden = !message;
}

function renderChannels() {
  const items = state.channels.map(({ name }) => {
    const link = el('a', 'channel', `# ${name}`);
    link.href = `#${encodeURIComponent(name)}`;
    if (name === state.channel) link.setAttribute('aria-current', 'page');
    return el('li', '', undefined, link);
  });
  els.channels.replaceChildren(...items);
}

function renderEntities() {
  const channel = state.channels.find((c) => c.name === state.channel);
  const present = (channel && channel.entities) || [];
  const items = present.map(renderEntity);
  els.entities.replaceChildren(
    ...(items.length ? items : [el('li', 'empty', 'No personas in this channel.')]),
  );
}

function renderEntity(id) {
  const entity = state.entities.get(id) || { id };
  const name = entity.username || entity.id;
  const button = el('button', 'entity', undefined, el('span', 'dot'), el('span', 'entity__name', name));
  button.type = 'button';
  button.title = `Mention @${name}`;
  button.style.setProperty('--accent', safeColor(entity.color));
  if (entity.enabled === false) button.classList.add('entity--disabled');
  button.addEventListener('click', () => insertMention(name));
  return el('li', '', undefined, button);
}

// Insert at the caret (not just append) so mentions can go mid-sentence.
function insertMention(username) {
  const { text } = els;
  const before = text.value.slice(0, text.selectionStart);
  const spacer = before === '' || /\s$/.test(before) ? '' : ' ';
  text.setRangeText(`${spacer}@${username} `, text.selectionStart, text.selectionEnd, 'end');
  text.focus();
}

function isAtBottom() {
  const { scrollHeight, scrollTop, clientHeight } = els.messages;
  return scrollHeight - scrollTop - clientHeight < BOTTOM_SLACK_PX;
}

function scrollToBottom() {
  els.messages.scrollTop = els.messages.scrollHeight;
}

function renderMessage(msg) {
  const isBot = Boolean(msg.entity);
  const item = el('li', isBot ? 'msg msg--bot' : 'msg msg--human');
  item.dataset.id = String(msg.id);
  const replied = msg.replyTo != null ? state.messages.get(msg.replyTo) : undefined;
  if (replied) item.append(el('div', 'msg__reply', `↪ replying to ${replied.author}`));

  const head = el('div', 'msg__head', undefined, el('span', 'msg__author', msg.author));
  if (isBot) {
    const entity = state.entities.get(msg.entity);
    item.style.setProperty('--accent', safeColor(entity && entity.color));
    if (msg.source) head.append(el('span', sourceBadgeClass(msg.source), String(msg.source)));
  } else if (msg.author === currentAuthor()) {
    item.classList.add('msg--self');
  }
  const time = el('time', 'msg__time', formatTime(msg.createdAt));
  time.dateTime = msg.createdAt || '';
  head.append(time);
  item.append(head, el('div', 'msg__text', msg.text));
  return item;
}

// Only known sources get a colour modifier; anything else keeps the neutral badge style.
function sourceBadgeClass(source) {
  return KNOWN_SOURCES.includes(source) ? `badge badge--${source}` : 'badge';
}

// Messages nearly always arrive in id order, so walk back from the end to find the slot.
function insertSorted(node, id) {
  let next = null;
  for (let c = els.messages.lastElementChild; c && Number(c.dataset.id) > id; c = c.previousElementSibling) {
    next = c;
  }
  els.messages.insertBefore(node, next);
}

function addMessages(list) {
  const fresh = list.filter((msg) => msg && typeof msg.id === 'number' && !state.messages.has(msg.id));
  if (fresh.length === 0) return;
  const stick = isAtBottom();
  els.messages.querySelector('.empty')?.remove();
  for (const msg of fresh) {
    state.messages.set(msg.id, msg);
    state.lastId = Math.max(state.lastId, msg.id);
    insertSorted(renderMessage(msg), msg.id);
  }
  if (stick) scrollToBottom();
}

function resetPane() {
  state.messages.clear();
  state.lastId = 0;
  els.messages.replaceChildren(el('li', 'empty', 'No messages yet. Say hello!'));
}

function disconnect() {
  state.generation += 1;
  clearTimeout(state.retryTimer);
  state.retryTimer = null;
  if (state.source) state.source.close();
  state.source = null;
}

// Load what we missed (or the latest page on first connect), then stream from the last id we have.
async function connect(reconnecting) {
  disconnect();
  const { generation, channel } = state;
  const firstLoad = state.lastId === 0;
  setStatus(reconnecting ? 'reconnecting…' : 'connecting…', 'pending');
  try {
    const params = new URLSearchParams({ limit: String(HISTORY_LIMIT) });
    if (!firstLoad) params.set('after', String(state.lastId));
    const body = await getJson(`${channelUrl(channel, 'messages')}?${params}`);
    if (generation !== state.generation) return;
    addMessages(body.messages || []);
    if (firstLoad) scrollToBottom();
  } catch {
    if (generation === state.generation) scheduleReconnect();
    return;
  }
  openEvents(channel, generation);
}

function openEvents(channel, generation) {
  const params = new URLSearchParams({ after: String(state.lastId) });
  const source = new EventSource(`${channelUrl(channel, 'events')}?${params}`);
  state.source = source;
  source.addEventListener('open', () => setStatus('connected', 'ok'));
  source.addEventListener('message', (event) => {
    if (generation !== state.generation) return;
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return; // A malformed frame is not worth tearing down the stream for.
    }
    addMessages([msg]);
  });
  // EventSource would retry with its original ?after=, so reconnect ourselves to resume from lastId.
  source.addEventListener('error', () => {
    if (generation === state.generation) scheduleReconnect();
  });
}

function scheduleReconnect() {
  disconnect();
  setStatus('reconnecting…', 'pending');
  state.retryTimer = setTimeout(() => connect(true), RECONNECT_DELAY_MS);
}

function channelFromHash() {
  try {
    return decodeURIComponent(window.location.hash.slice(1));
  } catch {
    return ''; // Malformed escape in a hand-edited URL: fall back to the first channel.
  }
}

function selectChannel(name) {
  const known = state.channels.some((c) => c.name === name);
  const target = known ? name : state.channels[0] && state.channels[0].name;
  if (!target) return setStatus('no channels configured', 'error');
  // Keep the URL in sync so a reload lands on the same channel (re-enters via hashchange, then no-ops).
  if (channelFromHash() !== target) window.location.replace(`#${encodeURIComponent(target)}`);
  if (target === state.channel) return;
  state.channel = target;
  els.title.textContent = `# ${target}`;
  document.title = `#${target} · Chorus playground`;
  showError('');
  renderChannels();
  renderEntities();
  resetPane();
  connect(false);
}

function currentAuthor() {
  return els.author.value.trim() || DEFAULT_NAME;
}

// localStorage can throw (storage disabled, some private modes); the name is only a convenience.
function saveName(name) {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Not persisted; the input still holds the name for this session.
  }
}

function loadName() {
  try {
    return localStorage.getItem(NAME_KEY) || DEFAULT_NAME;
  } catch {
    return DEFAULT_NAME;
  }
}

async function sendMessage(event) {
  event.preventDefault();
  const text = els.text.value.trim();
  const author = currentAuthor();
  if (!text || !state.channel || els.send.disabled) return;
  els.send.disabled = true;
  saveName(author);
  showError('');
  try {
    const res = await fetch(channelUrl(state.channel, 'messages'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ author, text }),
    });
    if (!res.ok) throw new Error(await errorMessage(res));
    els.text.value = '';
    scrollToBottom(); // The echo arrives over SSE; make sure it (and the replies) will be in view.
  } catch (err) {
    showError(`Could not send: ${describe(err)}`);
  } finally {
    els.send.disabled = false;
    els.text.focus();
  }
}

// Enter sends; Shift+Enter keeps the newline; never interrupt an IME composition.
function onComposerKey(event) {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  els.composer.requestSubmit();
}

function setupComposer() {
  els.author.value = loadName();
  els.author.addEventListener('change', () => {
    els.author.value = currentAuthor();
    saveName(els.author.value);
  });
  els.text.addEventListener('keydown', onComposerKey);
  els.composer.addEventListener('submit', sendMessage);
}

async function init() {
  setupComposer();
  try {
    const [chans, ents] = await Promise.all([getJson('/api/channels'), getJson('/api/entities')]);
    state.channels = chans.channels || [];
    for (const entity of ents.entities || []) state.entities.set(entity.id, entity);
  } catch (err) {
    return setStatus(`failed to load: ${describe(err)}`, 'error');
  }
  window.addEventListener('hashchange', () => selectChannel(channelFromHash()));
  selectChannel(channelFromHash());
}

init();
