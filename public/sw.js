// Platforma's service worker: makes the resident cabinet, the guard desk and the staff workspace
// installable and keeps them usable when the network drops.
//
// Strategy: network first for everything from this origin (so people always see fresh data and the
// newest app bundle), falling back to the last good copy in the cache; pages that were never visited
// fall back to /offline.html. Server functions (/api/) and operational endpoints are never cached.
const VERSION = "platforma-v1";
const PRECACHE = ["/offline.html", "/icons/icon.svg", "/icons/icon-192.png", "/pkg/platforma.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function cacheable(url, request) {
  return request.method === "GET" && url.origin === self.location.origin &&
    !url.pathname.startsWith("/api/") &&
    !["/healthz", "/readyz", "/metrics"].includes(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (!cacheable(url, event.request)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(VERSION).then((c) => c.put(event.request, copy));
        }
        return response;
      })
      .catch(async () => {
        const cached = await caches.match(event.request);
        if (cached) return cached;
        if (event.request.mode === "navigate") return caches.match("/offline.html");
        return Response.error();
      }),
  );
});
