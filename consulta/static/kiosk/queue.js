// Finished submissions wait here until the server acknowledges them (201, or 200 for a repeat).
//
// Today the queue lives in memory and sends when asked. The offline kiosk replaces `store` with
// IndexedDB and adds background retries with back-off; callers keep the same three methods.

import { isRetryable } from "./api.js";

class MemoryStore {
  constructor() {
    this.items = new Map();
  }
  async put(submission) {
    this.items.set(submission.id, submission);
  }
  async get(id) {
    return this.items.get(id);
  }
  async delete(id) {
    this.items.delete(id);
  }
  async count() {
    return this.items.size;
  }
}

export class SubmissionQueue {
  constructor(send, store = new MemoryStore()) {
    this.send = send; // async (submission) => result; throws ApiError
    this.store = store;
  }

  // Keeps the submission, then tries to deliver it once.
  async submit(submission) {
    await this.store.put(submission);
    return this.deliver(submission.id);
  }

  // A retryable failure keeps the submission (same id) for the next attempt; a final refusal
  // (closed session, invalid content) drops it, because resending would be refused again.
  async deliver(id) {
    const submission = await this.store.get(id);
    if (!submission) return null;
    try {
      const result = await this.send(submission);
      await this.store.delete(id);
      return result;
    } catch (error) {
      if (!isRetryable(error)) await this.store.delete(id);
      throw error;
    }
  }

  async discard(id) {
    await this.store.delete(id);
  }

  async pending() {
    return this.store.count();
  }
}
