// The dashboard's shell: sign-in, the live connection, the hash router (#/fleet, #/runs/ID, ...)
// and rendering the current page from the state the gateway pushes.
import { ApiError, checkKey, followEvents, getJson, postJson, session } from './api.js';
import { empty, h } from './dom.js';
import * as fleet from './pages/fleet.js';
import * as queues from './pages/queues.js';
import * as requests from './pages/requests.js';
import * as runs from './pages/runs.js';
import * as savings from './pages/savings.js';

const PAGES = { fleet, queues, requests, runs, savings };
const REQUESTS_KEPT = 100;

const app = {
  state: undefined,
  /** performance.now() when the fleet and queues were last received: waits advance from there */
  receivedAt: 0,
  /** the run page's run: its detail, or the error reading it (status: the HTTP status) */
  run: { id: undefined, data: undefined, error: undefined, status: undefined, fetchedAt: 0 },
  /** reads of the run page's detail started, so a late answer never overwrites a newer one */
  runReads: 0,
  /** per run: the answer typed but not sent */
  drafts: {},
  /** per run: the answer sent from this tab, and what the gateway did with it */
  answered: {},
  stream: undefined,
  loadError: undefined,
};

const main = document.getElementById('main');
const statusEl = document.getElementById('status');
const login = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const loginKey = document.getElementById('login-key');
const loginError = document.getElementById('login-error');
const signout = document.getElementById('signout');

function route() {
  const [, page = 'fleet', id] = location.hash.split('/');
  return { page: PAGES[page] ? page : 'fleet', id: id ? decodeURIComponent(id) : undefined };
}

function setStatus(state, detail) {
  statusEl.dataset.state = state;
  statusEl.textContent =
    { live: 'live', connecting: 'connecting', reconnecting: 'reconnecting', refused: 'signed out' }[state] ??
    state;
  statusEl.title = detail ?? '';
}

let pendingRender = false;
function render() {
  if (pendingRender) return;
  pendingRender = true;
  requestAnimationFrame(() => {
    pendingRender = false;
    // never rebuild under the user's typing: render again when the field loses focus
    const active = document.activeElement;
    if (active && main.contains(active) && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')) {
      active.addEventListener('blur', render, { once: true });
      return;
    }
    const { page, id } = route();
    for (const a of document.querySelectorAll('#nav a'))
      a.toggleAttribute('aria-current', a.dataset.page === page);
    document.title = `Orchestra · ${page}`;
    main.replaceChildren(view(page, id));
  });
}

function view(page, id) {
  if (app.loadError)
    return h(
      'div',
      { class: 'error-state', role: 'alert' },
      h('p', { class: 'empty-title', text: 'The dashboard could not load its state' }),
      h('p', { text: app.loadError }),
      h('button', { type: 'button', onclick: start, text: 'Try again' }),
    );
  if (!app.state) return h('p', { class: 'placeholder', text: 'Loading the dashboard…' });
  if (page === 'runs' && id !== undefined && app.run.id !== id) void loadRun(id);
  if (page === 'runs' && id === undefined && app.run.id !== undefined) app.run = { id: undefined };
  const elapsedMs = performance.now() - app.receivedAt;
  return (
    PAGES[page].render({
      state: app.state,
      elapsedMs,
      // charts are drawn at the card's width in CSS pixels, so their text stays readable on a phone
      width: Math.max(280, main.clientWidth - 2 * 17 - 24),
      id,
      run: app.run,
      drafts: app.drafts,
      answered: app.answered,
      answer: answerRun,
      reload: loadRun,
    }) ?? empty('Nothing to show')
  );
}

async function loadRun(id) {
  const read = ++app.runReads;
  if (app.run.id !== id) app.run = { id, data: undefined, error: undefined, fetchedAt: 0 };
  try {
    const data = await getJson(`/ui/api/runs/${encodeURIComponent(id)}`);
    if (read === app.runReads) app.run = { id, data, error: undefined, fetchedAt: performance.now() };
  } catch (e) {
    if (read === app.runReads)
      app.run = { id, data: undefined, error: e.message, status: e.status, fetchedAt: performance.now() };
  }
  render();
}

async function answerRun(id, text) {
  const result = await postJson(`/ui/api/runs/${encodeURIComponent(id)}/answer`, { text });
  delete app.drafts[id];
  app.answered[id] = { text, result };
  await loadRun(id);
}

function onEvent(name, data) {
  if (name === 'state') {
    app.state = data;
    app.receivedAt = performance.now();
  } else if (name === 'requests') {
    app.state.requests = [...data, ...app.state.requests].slice(0, REQUESTS_KEPT);
  } else if (name in (app.state ?? {}) || name === 'runs') {
    app.state[name] = data;
    if (name === 'fleet' || name === 'queues') app.receivedAt = performance.now();
    if (name === 'runs' && app.run.id !== undefined) void loadRun(app.run.id);
  }
  render();
}

function onStatus(state, detail) {
  setStatus(state, detail);
  if (state === 'refused') showLogin('The gateway refused the key. Sign in again.');
}

function showLogin(message) {
  app.stream?.abort();
  signout.hidden = true;
  loginError.hidden = !message;
  loginError.textContent = message ?? '';
  loginKey.value = '';
  if (!login.open) login.showModal();
  loginKey.focus();
}

loginForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = loginKey.value.trim();
  if (!key) return;
  try {
    const check = await checkKey(key);
    if (!check.ok) {
      loginError.hidden = false;
      loginError.textContent = `Refused: ${check.error}`;
      return;
    }
    session.key = key;
    login.close();
    await start();
  } catch (err) {
    loginError.hidden = false;
    loginError.textContent = `Could not reach the gateway: ${err.message}`;
  }
});
login.addEventListener('cancel', (e) => e.preventDefault());

signout.addEventListener('click', () => {
  session.key = '';
  app.state = undefined;
  setStatus('refused');
  render();
  showLogin();
});

async function start() {
  app.stream?.abort();
  app.loadError = undefined;
  setStatus('connecting');
  render();
  try {
    const check = await checkKey(session.key);
    if (!check.ok) {
      setStatus('refused');
      return showLogin(session.key ? `The gateway refused the stored key: ${check.error}` : undefined);
    }
    onEvent('state', await getJson('/ui/api/state'));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      setStatus('refused');
      return showLogin(`The gateway refused the key: ${e.message}`);
    }
    app.loadError = e.message;
    setStatus('reconnecting', e.message);
    return render();
  }
  signout.hidden = !session.key;
  const stream = new AbortController();
  app.stream = stream;
  void followEvents({ onEvent, onStatus, signal: stream.signal });
}

window.addEventListener('hashchange', render);
window.addEventListener('resize', render);
// waits, expiries and a live run's open spans advance between pushes
setInterval(() => {
  const { page, id } = route();
  if (
    page === 'fleet' ||
    page === 'queues' ||
    (page === 'runs' && id && app.run.data && runs.live(app.run.data))
  )
    render();
}, 1000);
void start();
