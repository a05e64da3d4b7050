// The console's only way out: the admin API on this origin, with the session cookie and the antiforgery token.
let csrfToken = '';

export class ApiError extends Error {
  constructor(status, code, detail, problem) {
    super(detail || code || String(status));
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.problem = problem;
  }
}

/** GET /v1/admin/session: where the console stands, and a fresh antiforgery token. */
export async function loadSession() {
  const session = await call('GET', '/v1/admin/session');
  csrfToken = session.csrfToken;
  return session;
}

/** Remembers the token a login, first run or password change answered with. */
export function useSession(session) {
  csrfToken = session.csrfToken;
  return session;
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return read(response.status, response.headers.get('Content-Type') ?? '', await response.text());
}

/** Uploads a file with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.withCredentials = true;
    request.setRequestHeader('X-CSRF-Token', csrfToken);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', event => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.upload.addEventListener('load', () => onProgress(file.size, file.size, true));
    request.addEventListener('load', () => {
      try {
        resolve(read(request.status, request.getResponseHeader('Content-Type') ?? '', request.responseText));
      } catch (error) {
        reject(error);
      }
    });
    request.addEventListener('error', () => reject(new ApiError(0, 'network_error', '')));
    request.send(file);
  });
}

function read(status, contentType, text) {
  const json = contentType.includes('json') && text ? JSON.parse(text) : null;
  if (status >= 200 && status < 300) return json;
  throw new ApiError(status, json?.code ?? 'http_error', json?.detail ?? json?.title ?? '', json);
}

/**
 * POSTs to a streaming agent operation and calls onItem with each server-sent event's JSON as it arrives.
 * Resolves with { done: true } at the done event, or { error } when the stream ends with an error event.
 */
export async function stream(path, body, signal, onItem) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    credentials: 'same-origin',
    body: JSON.stringify(body),
    signal,
  });
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!response.ok || !contentType.includes('text/event-stream')) {
    return read(response.status, contentType, await response.text());
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { done: false, error: { code: 'stream_cut', detail: '' } };
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block.split('\n').filter(line => line.startsWith('data: ')).map(line => line.slice(6)).join('\n');
      if (event === 'done') return { done: true };
      if (event === 'error') return { done: false, error: data ? JSON.parse(data) : {} };
      onItem(JSON.parse(data));
    }
  }
}
