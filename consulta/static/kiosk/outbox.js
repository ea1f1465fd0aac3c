// The tablet's outbox in IndexedDB: finished submissions and help requests wait here, on the
// device, until the server acknowledges their id. Nothing else of a participant is stored, and
// an entry is deleted the moment its acknowledgement arrives. Entries the server refused for
// good (a conflicting id, invalid content) move to `held`, for the facilitator to look at.

const DB_NAME = "consulta-kiosk";
const DB_VERSION = 1;
const STORES = ["outbox", "held"];

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let opening = null;
function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        for (const name of STORES) {
          if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name, { keyPath: "key" });
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

async function run(storeName, mode, work) {
  const db = await open();
  const tx = db.transaction(storeName, mode);
  const result = await work(tx.objectStore(storeName));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

// One IndexedDB object store with the four methods the queue needs.
export class IdbStore {
  constructor(name = "outbox") {
    this.name = name;
  }
  put(entry) {
    return run(this.name, "readwrite", (s) => promisify(s.put(entry)));
  }
  get(key) {
    return run(this.name, "readonly", (s) => promisify(s.get(key)));
  }
  delete(key) {
    return run(this.name, "readwrite", (s) => promisify(s.delete(key)));
  }
  all() {
    return run(this.name, "readonly", (s) => promisify(s.getAll()));
  }
  async count() {
    return run(this.name, "readonly", (s) => promisify(s.count()));
  }
}

export function indexedDbAvailable() {
  return typeof indexedDB !== "undefined";
}
