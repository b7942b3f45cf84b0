/* Work done without a connection, kept on the device and sent in order when the connection
   returns: quiz answers (quizzes without a time limit, with their sequence token) and lesson
   completions. Plain IndexedDB (one object store, ids in the order things were done).
   The server's rules decide each one: an answer made on an out-of-date page comes back "stale"
   and is reported here with a link to its question, never dropped silently.
   Pages work without this script: an answer then stays in the form for the next button press. */
(function () {
  "use strict";
  var DB_NAME = "lms-offline";
  var STORE = "queue";
  var LOCK = "lms-offline-queue";
  var opened = null;
  var flushing = null;
  var channel = window.BroadcastChannel ? new BroadcastChannel(LOCK) : null;

  function announce(report) {
    document.dispatchEvent(new CustomEvent("lms-offline-flushed", { detail: report }));
  }
  if (channel) { channel.onmessage = function (event) { announce(event.data); }; }

  function open() {
    if (!window.indexedDB) { return Promise.reject(new Error("IndexedDB is not available")); }
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = window.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opened = null; reject(request.error); };
      });
    }
    return opened;
  }

  function request(mode, make) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var req = make(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(req.result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function everyone() { return request("readonly", function (store) { return store.getAll(); }); }
  function all() { return everyone().then(mine); }
  function put(entry) { return request("readwrite", function (store) { return store.put(entry); }); }
  function remove(id) { return request("readwrite", function (store) { return store.delete(id); }); }

  // One tab at a time changes the queue or sends it: two tabs sending the same answer would
  // make the second one stale.
  function withLock(work) {
    if (navigator.locks && navigator.locks.request) { return navigator.locks.request(LOCK, work); }
    return work();
  }

  // Each person's work is theirs: on a shared phone, another trainee's queue is neither sent
  // with this session nor shown.
  function currentUser() {
    var region = document.querySelector("[data-offline-user]");
    return region ? region.getAttribute("data-offline-user") : "";
  }

  function mine(entries) {
    var user = currentUser();
    return entries.filter(function (e) { return e.user === user; });
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function formFields(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && ["csrf_token", "seq", "go"].indexOf(name) === -1) {
        fields.push([name, value]);
      }
    });
    return fields;
  }

  function fill(form, fields) {
    var values = {};
    fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit") { return; }
      var given = values[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = given.indexOf(field.value) !== -1;
      } else {
        field.value = given.length ? given[0] : "";
      }
    });
  }

  function waitingAnswers(entries, attempt) {
    return entries.filter(function (e) {
      return e.kind === "answer" && e.attempt === attempt && e.state === "waiting";
    });
  }

  /* An answer kept on the device. `item`: attempt, number, url (the save URL), page (the
     question page), fields, seq (the page's token). The first waiting answer of an attempt
     keeps the page's token; each later one the token the server will give after the one before. */
  function addAnswer(item) {
    return withLock(function () {
      return all().then(function (entries) {
        var done = entries.filter(function (e) {
          return e.kind === "answer" && e.attempt === item.attempt && e.number === item.number
            && e.state !== "waiting";
        });
        var waiting = waitingAnswers(entries, item.attempt);
        var last = waiting[waiting.length - 1];
        var saving;
        if (last && last.number === item.number) {  // a further change of the same answer
          last.fields = item.fields;
          last.savedAt = Date.now();
          saving = put(last);
        } else {
          item.kind = "answer";
          item.user = currentUser();
          item.state = "waiting";
          item.savedAt = Date.now();
          item.seq = last ? last.seq + 1 : item.seq;
          saving = put(item);
        }
        return Promise.all([saving].concat(done.map(function (e) { return remove(e.id); })));
      });
    });
  }

  function addLesson(item) {  // url (the completion URL), page, label (the lesson's title)
    return withLock(function () {
      return all().then(function (entries) {
        var same = entries.some(function (e) {
          return e.kind === "lesson" && e.url === item.url && e.state === "waiting";
        });
        if (same) { return null; }
        item.kind = "lesson";
        item.user = currentUser();
        item.state = "waiting";
        item.fields = [];
        item.savedAt = Date.now();
        return put(item);
      });
    });
  }

  // The server's JSON answer, or null when it cannot be sent now (no connection, logged out,
  // a server error): the entry then stays and is tried again later.
  function send(entry, seq) {
    var data = new FormData();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.set("csrf_token", csrfToken());
    if (entry.kind === "answer") {
      data.set("seq", String(seq));
      data.set("go", "stay");
    }
    return fetch(entry.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (json && (response.ok || response.status === 400)) { return response.json(); }
      if (response.status === 403 || response.status === 404) { return { outcome: "gone" }; }
      return null;
    }).catch(function () { return null; });
  }

  /* Send every waiting entry in order. Resolves to {sent, problems, chains, stopped}: chains
     maps an attempt to the token the server gave last. */
  function flush() {
    if (flushing) { return flushing; }
    flushing = withLock(function () {
      return all().then(function (entries) {
        var report = { sent: [], problems: [], chains: {}, stopped: false };
        var broken = {};
        function next(i) {
          if (i >= entries.length) { return report; }
          var entry = entries[i];
          if (entry.state !== "waiting") { return next(i + 1); }
          var attempt = entry.attempt;
          if (entry.kind === "answer" && broken[attempt]) {  // the chain of tokens broke before it
            entry.state = broken[attempt];
            report.problems.push(entry);
            return put(entry).then(function () { return next(i + 1); });
          }
          var seq = entry.kind === "answer" && attempt in report.chains
            ? report.chains[attempt] : entry.seq;
          return send(entry, seq).then(function (result) {
            if (!result) {
              report.stopped = true;
              return keepChains(entries.slice(i), report.chains).then(function () { return report; });
            }
            var outcome = result.outcome;
            if (entry.kind === "answer" && typeof result.seq === "number"
              && (outcome === "saved" || outcome === "refused")) {
              report.chains[attempt] = result.seq;
            }
            if (outcome === "saved" || outcome === "completed") {
              report.sent.push(entry);
              return remove(entry.id).then(function () { return next(i + 1); });
            }
            entry.state = outcome === "stale" || outcome === "closed" || outcome === "refused"
              ? outcome : "failed";
            entry.errors = result.errors || [];
            if (entry.kind === "answer" && (outcome === "stale" || outcome === "closed")) {
              broken[attempt] = outcome;
            }
            report.problems.push(entry);
            return put(entry).then(function () { return next(i + 1); });
          });
        }
        return next(0);
      });
    }).then(function (report) {
      announce(report);
      if (channel) { channel.postMessage(report); }  // other tabs of the site update their status
      return report;
    }).finally(function () { flushing = null; });
    return flushing;
  }

  // After a stop, the answers still waiting carry on from the last token the server gave.
  function keepChains(rest, chains) {
    var counts = {};
    return Promise.all(rest.filter(function (e) {
      return e.kind === "answer" && e.state === "waiting" && e.attempt in chains;
    }).map(function (e) {
      counts[e.attempt] = (counts[e.attempt] || 0) + 1;
      e.seq = chains[e.attempt] + counts[e.attempt] - 1;
      return put(e);
    }));
  }

  /* The report region (templates/quiz/_offline.html): what was sent, and what was not and why,
     with a link to the question or lesson. */
  function showReport(report) {
    var region = document.querySelector(".offline-report");
    if (!region || (!report.sent.length && !report.problems.length)) { return; }
    var texts = region.dataset;
    region.textContent = "";
    if (report.sent.length) {
      var sent = document.createElement("p");
      sent.className = "notice";
      sent.textContent = texts.sentText;
      region.appendChild(sent);
    }
    if (report.problems.length) {
      var box = document.createElement("div");
      box.className = "error-summary";
      var heading = document.createElement("h2");
      heading.textContent = texts.problemsHeading;
      var list = document.createElement("ul");
      report.problems.forEach(function (entry) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = entry.page;
        link.textContent = entry.kind === "answer"
          ? texts.questionText.replace("{n}", String(entry.number)) : entry.label;
        item.appendChild(link);
        var why = texts[entry.kind === "answer" ? entry.state + "Text" : "lessonFailedText"] || "";
        item.appendChild(document.createTextNode(": " + why + " " + (entry.errors || []).join(" ")));
        list.appendChild(item);
      });
      box.appendChild(heading);
      box.appendChild(list);
      region.appendChild(box);
    }
    // Reported once: what cannot be given again from its page is forgotten now; a stale or
    // refused answer waits for its question page, which fills it in again.
    report.problems.forEach(function (entry) {
      if (entry.kind !== "answer" || entry.state === "closed" || entry.state === "failed") {
        remove(entry.id);
      }
    });
  }

  function problemsKept() {
    return all().then(function (entries) {
      return { sent: [], chains: {}, problems: entries.filter(function (e) { return e.state !== "waiting"; }) };
    });
  }

  function flushIfOnline() {
    if (navigator.onLine === false) { return Promise.resolve(null); }
    return flush().catch(function () { return null; });
  }

  window.lmsOfflineQueue = {
    addAnswer: addAnswer,
    addLesson: addLesson,
    all: all,
    remove: remove,
    flush: flush,
    flushIfOnline: flushIfOnline,
    formFields: formFields,
    fill: fill,
    waitingAnswers: waitingAnswers
  };

  document.addEventListener("lms-offline-flushed", function (event) { showReport(event.detail); });

  function lessonForm(form) {
    var status = document.querySelector(".offline-status");
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) { return; }
      event.preventDefault();
      addLesson({ url: form.action, page: window.location.pathname, label: form.dataset.lessonTitle || "" })
        .then(function () { if (status) { status.textContent = status.dataset.lessonQueuedText; } })
        .catch(function () { if (status) { status.textContent = status.dataset.noDeviceText; } });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.lesson-complete").forEach(lessonForm);
    if (!window.indexedDB) { return; }
    problemsKept().then(function (kept) {
      // Answers waiting for their own question page are shown there, not listed again.
      kept.problems = kept.problems.filter(function (e) {
        return !(e.kind === "answer" && e.page === window.location.pathname);
      });
      showReport(kept);
    }).catch(function () { /* no IndexedDB (a private window): nothing was kept */ });
    flushIfOnline();
  });
  window.addEventListener("online", flushIfOnline);
}());
