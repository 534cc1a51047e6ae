// Talking to the gateway: the master key (if any) from session storage, sent as a header and never
// put in a URL; the live events read from a fetch stream (EventSource cannot send a header).

const KEY = 'orchestra.dashboard.key';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY) ?? '';
  },
  set key(v) {
    if (v) sessionStorage.setItem(KEY, v);
    else sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  const key = session.key;
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
}

async function failure(res) {
  let message = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    message = body?.error?.message ?? body?.error ?? message;
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(res.status, message);
}

export async function getJson(path, key = session.key) {
  const res = await fetch(path, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    cache: 'no-store',
  });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/** whether the gateway lets `key` (or no key) read the dashboard: {ok, open} or {ok: false, error} */
export async function checkKey(key) {
  const res = await fetch('/ui/api/session', {
    method: 'POST',
    headers: key ? { authorization: `Bearer ${key}` } : {},
    cache: 'no-store',
  });
  if (!res.ok) throw await failure(res);
  return res.json();
}

export async function postJson(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/**
 * Reads /ui/api/events until `signal` aborts, calling onEvent(name, data) per event and
 * onStatus('live' | 'reconnecting' | 'refused', detail) as the connection changes; reconnects
 * after a drop with a growing delay (1 s to 15 s).
 */
export async function followEvents({ onEvent, onStatus, signal }) {
  let delay = 1000;
  while (!signal.aborted) {
    try {
      const res = await fetch('/ui/api/events', {
        headers: headers({ accept: 'text/event-stream' }),
        signal,
        cache: 'no-store',
      });
      if (res.status === 401 || res.status === 403) {
        onStatus('refused', (await failure(res)).message);
        return;
      }
      if (!res.ok || !res.body) throw await failure(res);
      onStatus('live');
      delay = 1000;
      await readEvents(res.body, onEvent, signal);
      if (signal.aborted) return;
      onStatus('reconnecting', 'the gateway closed the stream');
    } catch (e) {
      if (signal.aborted) return;
      onStatus('reconnecting', e instanceof Error ? e.message : String(e));
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(15_000, delay * 2);
  }
}

async function readEvents(body, onEvent, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => reader.cancel().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  let buffer = '';
  let event = 'message';
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let nl;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) onEvent(event, JSON.parse(data.join('\n')));
          event = 'message';
          data = [];
        } else if (line.startsWith(':')) continue;
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
