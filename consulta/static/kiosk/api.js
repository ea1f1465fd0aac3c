// The tablet API, and nothing else: no cookies, no credentials; the session code is the capability.

export class ApiError extends Error {
  constructor(kind, status, body) {
    super(kind);
    this.kind = kind; // "network" | "not_found" | "closed" | "conflict" | "invalid" | "busy" | "server"
    this.status = status;
    this.body = body;
  }
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function fetchSession(apiBase, code, lang) {
  let response;
  try {
    response = await fetch(`${apiBase}/sessions/${encodeURIComponent(code)}?lang=${lang}`, {
      credentials: "omit",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
  } catch {
    throw new ApiError("network", 0, null);
  }
  const body = await readJson(response);
  if (response.status === 404) throw new ApiError("not_found", 404, body);
  if (!response.ok || !body) throw new ApiError("server", response.status, body);
  return body;
}

// Sends one finished submission. Resolves when the server holds it (201, or 200 for a repeat of
// the same id and content); rejects with an ApiError that says whether retrying makes sense.
export function postSubmission(apiBase, code, submission) {
  return postJson(`${apiBase}/sessions/${encodeURIComponent(code)}/submissions`, submission);
}

// A help request carries nothing but its own id (for idempotency); same answers as submissions.
export function postHelp(apiBase, code, request) {
  return postJson(`${apiBase}/sessions/${encodeURIComponent(code)}/help`, request);
}

async function postJson(url, submission) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "omit",
      cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(submission),
    });
  } catch {
    throw new ApiError("network", 0, null);
  }
  const body = await readJson(response);
  if (response.status === 201 || response.status === 200) return { status: response.status, body };
  if (response.status === 404) throw new ApiError("not_found", 404, body);
  // 409 means a closed session or a conflicting id; the caller asks the API which one it is.
  if (response.status === 409) throw new ApiError("conflict", 409, body);
  if (response.status === 422 || response.status === 413) throw new ApiError("invalid", response.status, body);
  if (response.status === 429) throw new ApiError("busy", 429, body);
  throw new ApiError("server", response.status, body);
}

export function isRetryable(error) {
  return error instanceof ApiError && ["network", "busy", "server"].includes(error.kind);
}
