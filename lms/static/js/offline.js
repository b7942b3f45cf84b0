/* The installable app and lessons offline (docs/offline.md). Without this script, or without
   service workers, every page works exactly as before: nothing here is needed to learn.

   - registers the Workbox service worker (/sw.js, built from lms/sw-src/);
   - shows the "offline copy" banner while the browser is offline;
   - "Save for offline" on a course page stores the pinned version's lessons and images in the
     "lms-offline" cache; "Remove" deletes them; the storage used on this device is shown;
   - a saved course whose version changed (a newer patch) is saved again when online;
   - logging out first empties every cache but the static files' (a shared phone), and so
     does the first page seen online with nobody signed in (a session that simply ended). */
(function () {
  "use strict";
  var OFFLINE_CACHE = "lms-offline";
  var LIST = /^\/learn\/[^/]+\/offline\.json$/;
  var supported = "serviceWorker" in navigator && "caches" in window;

  function showBanner() {
    var banner = document.getElementById("offline-banner");
    if (banner) banner.hidden = navigator.onLine;
  }
  showBanner();
  window.addEventListener("online", showBanner);
  window.addEventListener("offline", showBanner);

  if (!supported) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  // Everything personal: every cache but Workbox's precache of the public static files.
  function clearAll() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("workbox-precache") !== 0; })
        .map(function (name) { return caches.delete(name); }));
    });
  }

  // Nobody is signed in (after logging out, or the session ended): empty the caches on the first
  // page seen online. Logging out itself is not held back (a delayed form submission would race
  // whatever the person does next); a page shown from the cache always has the logout form.
  if (navigator.onLine && !document.querySelector("form[data-clear-offline]")) clearAll();

  function pathOf(url) { return new URL(url, location.href).pathname; }

  // Store every URL of the list (and the list itself, to know the saved version).
  function save(listUrl) {
    return fetch(listUrl, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
      if (!answer.ok) throw new Error(String(answer.status));
      return answer.clone().json().then(function (list) {
        return caches.open(OFFLINE_CACHE).then(function (cache) {
          return Promise.all(list.urls.map(function (url) {
            return fetch(url, { credentials: "same-origin", headers: { "X-LMS-Offline-Save": "1" } })
              .then(function (response) {
                if (!response.ok || response.redirected) throw new Error(url);
                return cache.put(url, response);
              });
          })).then(function () {
            return forget(listUrl, list.urls);  // what an older version had and this one lacks
          }).then(function () {
            return cache.put(listUrl, answer).then(function () { return list; });
          });
        });
      });
    });
  }

  // Delete a course's saved copies (all, or those not in `keep`) and, without `keep`, its list.
  function forget(listUrl, keep) {
    return caches.open(OFFLINE_CACHE).then(function (cache) {
      return cache.match(listUrl).then(function (stored) {
        var old = stored ? stored.json() : Promise.resolve({ urls: [] });
        return old.then(function (list) {
          var gone = list.urls.filter(function (url) { return !keep || keep.indexOf(url) < 0; });
          if (!keep) gone.push(listUrl);
          return Promise.all(gone.map(function (url) { return cache.delete(url); }));
        });
      });
    });
  }

  function savedList(listUrl) {
    return caches.open(OFFLINE_CACHE).then(function (cache) {
      return cache.match(listUrl).then(function (stored) { return stored ? stored.json() : null; });
    });
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 });
  }

  function panel(section) {
    var listUrl = section.dataset.listUrl;
    var status = section.querySelector("[data-offline-status]");
    var storage = section.querySelector("[data-offline-storage]");
    var saveButton = section.querySelector("[data-offline-save]");
    var clearButton = section.querySelector("[data-offline-clear]");
    var say = function (template, list) {
      status.textContent = section.dataset[template].replace("{version}", list ? list.version : "");
    };
    var showState = function () {
      var estimate = navigator.storage && navigator.storage.estimate
        ? navigator.storage.estimate() : Promise.resolve(null);
      return Promise.all([savedList(listUrl), estimate]).then(function (both) {
        clearButton.hidden = !both[0];
        if (both[0] && !status.textContent) say("msgSaved", both[0]);
        if (!both[0] && !status.textContent) say("msgNotSaved");
        if (both[1]) storage.textContent = section.dataset.msgStorage.replace("{size}", megabytes(both[1].usage || 0));
      });
    };
    saveButton.addEventListener("click", function () {
      saveButton.disabled = true;
      say("msgSaving");
      save(listUrl).then(function (list) { say("msgSaved", list); }, function () { say("msgFailed"); })
        .then(function () { saveButton.disabled = false; return showState(); });
    });
    clearButton.addEventListener("click", function () {
      forget(listUrl).then(function () { say("msgRemoved"); saveButton.focus(); return showState(); });
    });
    section.hidden = false;
    showState();
  }
  document.querySelectorAll("[data-offline-course]").forEach(panel);

  // Online: a saved course whose version changed is saved again; one that may no longer be
  // opened (403/404) is removed. Checked at most every ten minutes.
  function refreshSaved() {
    var last = Number(sessionStorage.getItem("lms-offline-checked") || 0);
    if (!navigator.onLine || Date.now() - last < 600000) return;
    sessionStorage.setItem("lms-offline-checked", String(Date.now()));
    caches.open(OFFLINE_CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        requests.map(function (r) { return pathOf(r.url); }).filter(function (p) { return LIST.test(p); })
          .forEach(function (listUrl) {
            Promise.all([savedList(listUrl), fetch(listUrl, { credentials: "same-origin", cache: "no-store" })])
              .then(function (both) {
                if (both[1].status === 403 || both[1].status === 404) return forget(listUrl);
                if (!both[1].ok) return null;
                return both[1].json().then(function (now) {
                  if (!both[0] || now.version_id !== both[0].version_id) return save(listUrl);
                  return null;
                });
              }).catch(function () {});
          });
      });
    }).catch(function () {});
  }
  refreshSaved();
})();
