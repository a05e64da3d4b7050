// The console's only way out: the admin API on this origin, with the session cookie and the antiforgery token.
let csrfToken = '';

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code || String(status));
    this.status = status;
    this.code = code;
    this.detail = detail;
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
  throw new ApiError(status, json?.code ?? 'http_error', json?.detail ?? json?.title ?? '');
}
