// Platforma's service worker: makes the resident cabinet, the guard desk and the staff workspace
// installable and shows a clear offline page when the network drops.
//
// What it keeps: only static files that are the same for everyone (the app bundle, styles, fonts,
// icons, manifests) and the offline page. Pages, server functions and everything else that depends
// on who is signed in are never stored here: the server marks them `Cache-Control: no-store`, and a
// page opened without a network shows /offline.html, not the last person's client card.
// Signing out empties these caches too (the page does it, and `Clear-Site-Data` where honoured).
const VERSION = "platforma-v2";
const OFFLINE = "/offline.html";
const PRECACHE = [OFFLINE, "/icons/icon.svg", "/icons/icon-192.png", "/pkg/platforma.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

// Older versions kept pages with personal data: every cache but this version's goes.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Static, shared files only.
function isStatic(url) {
  const p = url.pathname;
  return p.startsWith("/pkg/") || p.startsWith("/fonts/") || p.startsWith("/icons/") ||
    p.startsWith("/manifests/") || p === OFFLINE;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Pages: always from the network; without one, the offline page. Never stored.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (!isStatic(url)) return;
  // Static files: network first (their names carry no hash yet, so the newest bundle wins), the
  // stored copy when offline.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(VERSION).then((c) => c.put(request, copy));
        }
        return response;
      })
      .catch(async () => (await caches.match(request)) || Response.error()),
  );
});
