/* The service worker's source. `npm run build` (docs/offline.md) injects the precache list and
   writes lms/static/sw.js; the Workbox runtime is served from /static/workbox/ (no CDN).
   GET /sw.js serves that file with the list naming today's hashed static files.

   What is cached, and nothing else:
   - static assets (precached under their content-hashed names);
   - lessons, their images and the course page, only after the trainee pressed "Save for
     offline" (the page stores them in the "lms-offline" cache); online, each is fetched again
     and replaces the stored copy (a newer patch version), offline the stored copy is shown;
   - the trainee's own quiz pages (NetworkFirst), so that a reload offline shows the page.
   Staff pages and other people's pages never match a route here: they go to the network.
   Logging out deletes every cache but the precache (lms/static/js/offline.js). */
importScripts("/static/workbox/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/static/workbox/", debug: false });

const { precacheAndRoute, cleanupOutdatedCaches } = workbox.precaching;
const { registerRoute } = workbox.routing;
const { NetworkFirst, CacheFirst } = workbox.strategies;
const { CacheableResponsePlugin } = workbox.cacheableResponse;

const OFFLINE_CACHE = "lms-offline";
const QUIZ_CACHE = "lms-quiz-pages";

precacheAndRoute([{"revision":null,"url":"/static/css/app.e5c0cf8295af.css"},{"revision":null,"url":"/static/js/quiz.a3ef4157e80d.js"},{"revision":null,"url":"/static/js/preview.8c0f4437bc17.js"},{"revision":null,"url":"/static/js/offline.02bd9d911ec0.js"},{"revision":null,"url":"/static/js/offline-queue.e2a815989a0f.js"},{"revision":null,"url":"/static/js/attendance.d45bc0540c15.js"},{"revision":null,"url":"/static/favicon.1457454b7b5c.svg"},{"revision":null,"url":"/static/icons/icon-512.fdcbc1011aba.png"},{"revision":null,"url":"/static/icons/icon-512-maskable.bc732a362a52.png"},{"revision":null,"url":"/static/icons/icon-192.3caf508bbd5c.png"}]);
cleanupOutdatedCaches();

// Only what "Save for offline" stored is ever written again: a lesson merely visited is not kept.
const onlySavedOnes = {
  cacheWillUpdate: async ({ request, response }) => {
    if (!response || response.status !== 200 || response.redirected) return null;
    const cache = await caches.open(OFFLINE_CACHE);
    return (await cache.match(request)) ? response : null;
  },
};

const LESSON = /^\/learn\/[^/]+\/lessons\/[^/]+$/;
const COURSE = /^\/courses\/[^/]+$/;
const COURSE_FILE = /^\/courses\/[^/]+\/files\//;
const QUIZ_PAGE = /^\/(learn\/[^/]+\/quizzes\/[^/]+|attempts\/\d+\/(questions\/\d+|review))$/;

const sameOriginGet = (url, request) =>
  url.origin === self.location.origin && request.method === "GET";

registerRoute(
  ({ url, request }) =>
    sameOriginGet(url, request) && (LESSON.test(url.pathname) || COURSE.test(url.pathname)),
  new NetworkFirst({ cacheName: OFFLINE_CACHE, networkTimeoutSeconds: 8, plugins: [onlySavedOnes] }),
);

registerRoute(
  ({ url, request }) => sameOriginGet(url, request) && COURSE_FILE.test(url.pathname),
  new CacheFirst({ cacheName: OFFLINE_CACHE, plugins: [onlySavedOnes] }),
);

registerRoute(
  ({ url, request }) =>
    sameOriginGet(url, request) && request.mode === "navigate" && QUIZ_PAGE.test(url.pathname),
  new NetworkFirst({
    cacheName: QUIZ_CACHE,
    networkTimeoutSeconds: 8,
    plugins: [new CacheableResponsePlugin({ statuses: [200] })],
  }),
);

// A new worker takes over at once: the routes above only ever narrow what is cached.
self.skipWaiting();
workbox.core.clientsClaim();
