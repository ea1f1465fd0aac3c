// The kiosk's service worker: keeps the kiosk shell, its scripts, styles and pictograms, and the
// session's questions and the ideas of other groups (the tablet API's GETs) so that the kiosk loads and runs with no network,
// including after a reload. Pages and questions are network-first (a fresh copy replaces the
// cached one); static files are cache-first (the cache name changes with their content).
// POST requests are never touched: submissions go straight to the network from the outbox.
// The server replaces the version below with a digest of the kiosk's files.

const VERSION = "__KIOSK_VERSION__";
const CACHE = `consulta-kiosk-${VERSION}`;
const PREFIX = "consulta-kiosk-";

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)))),
  );
});

// The page tells the worker what this session needs (its own address, the questions, the assets).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache") return;
  const port = event.ports[0];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let ok = true;
      for (const url of data.urls) {
        try {
          const response = await fetch(url, { credentials: "omit", cache: "no-store" });
          if (response.ok) await cache.put(keyFor(new URL(url, self.location.href)), response);
          else ok = false;
        } catch {
          ok = false;
        }
      }
      if (port) port.postMessage({ ok, version: VERSION });
    })(),
  );
});

// Pages are kept without their query string (?lang=…) so a reload finds them whatever it carries.
function keyFor(url) {
  if (url.pathname.startsWith("/k/") && !url.pathname.endsWith(".js")) return url.origin + url.pathname;
  return url.href;
}

function isSessionApi(url) {
  return /\/api\/v1\/sessions\/[^/]+(\/ideas)?$/.test(url.pathname);
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request.url);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request.url, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // never cache or answer a POST
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/k/")) {
    event.respondWith(networkFirst(request, keyFor(url)));
  } else if (isSessionApi(url)) {
    event.respondWith(networkFirst(request, url.href));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  }
});
