// Makes this tablet ready to run the session with no network: registers the kiosk's service
// worker and asks it to keep this page, the session's questions and every kiosk asset. When that
// is done, <body data-offline-ready="true"> says so (the facilitator's cue, and the tests').

export async function prepareOffline(config) {
  if (!("serviceWorker" in navigator) || !config.serviceWorker) return false;
  try {
    await navigator.serviceWorker.register(config.serviceWorker, { scope: config.serviceWorkerScope });
    const registration = await navigator.serviceWorker.ready;
    const urls = [location.pathname + location.search, config.sessionApi, config.ideasApi, ...config.offlineAssets].filter(Boolean);
    const reply = await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data || {});
      registration.active.postMessage({ type: "cache", urls }, [channel.port2]);
    });
    if (reply.ok) document.body.dataset.offlineReady = "true";
    return Boolean(reply.ok);
  } catch {
    return false; // plain http on a LAN: no service worker, the outbox still keeps every answer
  }
}
