// Exactly-once delivery. A finished submission (or help request) is written to the tablet's
// outbox first and only removed when the server acknowledges its id (201, or 200 for a repeat).
// Failures that may pass (no network, server down, rate limit) are retried with capped
// exponential back-off and jitter, and at once when the browser says it is online again. Final
// refusals (409 conflict or closed session, 422/413 invalid content) move to the `held` list for
// the facilitator instead of being retried forever. No token or cookie is involved: the session
// code is the capability, so an entry queued hours ago is delivered like a fresh one.

import { ApiError, isRetryable } from "./api.js";

class MemoryStore {
  constructor() {
    this.items = new Map();
  }
  async put(entry) {
    this.items.set(entry.key, entry);
  }
  async get(key) {
    return this.items.get(key);
  }
  async delete(key) {
    this.items.delete(key);
  }
  async all() {
    return [...this.items.values()];
  }
  async count() {
    return this.items.size;
  }
}

export function backoffDelay(attempts, baseMs, capMs, random = Math.random) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(attempts - 1, 0));
  // "Equal jitter": half fixed, half random, so tablets that reconnect together spread out.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class SubmissionQueue {
  // send(entry) => result, throws ApiError; entry = {key, kind, code, payload, attempts, nextAt}.
  constructor(send, { store = new MemoryStore(), held = new MemoryStore(), baseMs = 2000, capMs = 300000, onChange = () => {} } = {}) {
    Object.assign(this, { send, store, held, baseMs, capMs, onChange });
    this.timer = null;
    this.flushing = null;
  }

  // Call once: retry on a timer and as soon as the connection returns.
  start() {
    window.addEventListener("online", () => this.flush({ now: true }));
    this.flush({ now: true });
  }

  // Keeps the entry on the tablet, then tries to deliver it once. Resolves to
  // {delivered: true} or {delivered: false, error}; a retryable error leaves the entry queued.
  async submit(kind, code, payload) {
    const key = `${kind}:${payload.id}`;
    const existing = await this.store.get(key);
    if (!existing) await this.store.put({ key, kind, code, payload, attempts: 0, nextAt: 0 });
    await this.changed();
    return this.deliver(key);
  }

  async deliver(key) {
    const entry = await this.store.get(key);
    if (!entry) return { delivered: true };
    try {
      await this.send(entry);
      await this.store.delete(key);
      await this.changed();
      return { delivered: true };
    } catch (error) {
      if (isRetryable(error) || !(error instanceof ApiError)) {
        entry.attempts += 1;
        entry.nextAt = Date.now() + backoffDelay(entry.attempts, this.baseMs, this.capMs);
        await this.store.put(entry);
        this.schedule();
      } else {
        await this.store.delete(key);
        const reason = (error.body && error.body.reason) || error.kind;
        await this.held.put({ ...entry, reason, status: error.status });
      }
      await this.changed();
      return { delivered: false, error };
    }
  }

  // Delivers every entry whose time has come (all of them when `now`), one after another.
  flush({ now = false } = {}) {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      try {
        const entries = await this.store.all();
        for (const entry of entries) {
          if (now || entry.nextAt <= Date.now()) {
            const result = await this.deliver(entry.key);
            // Without a network the others would fail too: wait for the next turn.
            if (!result.delivered && result.error && result.error.kind === "network") break;
          }
        }
      } finally {
        this.flushing = null;
        this.schedule();
      }
    })();
    return this.flushing;
  }

  async schedule() {
    if (this.timer) window.clearTimeout(this.timer);
    this.timer = null;
    const entries = await this.store.all();
    if (!entries.length) return;
    const next = Math.min(...entries.map((e) => e.nextAt));
    this.timer = window.setTimeout(() => this.flush(), Math.max(next - Date.now(), 250));
  }

  async discard(key) {
    await this.store.delete(key);
    await this.changed();
  }

  // Answers waiting on this tablet (help requests are not answers and are not counted).
  async pending() {
    return (await this.store.all()).filter((e) => e.kind === "submission").length;
  }

  // Every answer set still on this tablet: waiting to be sent, or held after a final refusal.
  async waiting() {
    const all = [...(await this.store.all()), ...(await this.held.all())];
    return all.filter((e) => e.kind === "submission");
  }

  async changed() {
    this.onChange(await this.pending(), (await this.held.all()).length);
  }
}
