// Progressive enhancement for quiz pages; everything works without it.
// 1. Autosave: answers are posted in the background shortly after each change; an answer the
//    server refuses (an ordering with a position used twice) is not saved, and the status says why.
// 2. Offline (offline-queue.js): in a quiz without a time limit an answer saved without a
//    connection is kept on the device and sent in order when the connection returns; the status
//    says "saved on this device, not yet sent" until the server has it. A timed quiz says it needs
//    a connection (the server's deadline decides), and so does submitting.
// 3. Countdown: the time left is shown live, and announced to screen readers at a few points.
(function () {
  "use strict";
  var queue = window.lmsOfflineQueue;

  function say(status, text, isError) {
    if (!status) { return; }
    status.classList.toggle("error", Boolean(isError));
    status.textContent = text || "";
  }

  function attemptOf(form) { return Number(form.dataset.attempt); }

  function autosave(form) {
    var seq = form.querySelector("input[name=seq]");
    var status = form.querySelector(".save-status");
    var texts = form.dataset;
    var timed = texts.timed === "1";
    var number = Number(texts.number);
    var timer = null;
    var busy = false;
    var again = false;
    var resubmitting = false;
    var inFlight = Promise.resolve();

    function keepOnDevice() {
      if (timed || !queue) {
        say(status, timed ? texts.timedOfflineText : texts.offlineText, true);
        return Promise.resolve(false);
      }
      return queue.addAnswer({
        attempt: attemptOf(form),
        number: number,
        url: form.action,
        page: window.location.pathname,
        fields: queue.formFields(form),
        seq: Number(seq.value)
      }).then(function () {
        say(status, texts.onDeviceText);
        return true;
      }, function () {
        say(status, texts.offlineText, true);  // no IndexedDB: the answer stays in the form
        return false;
      });
    }

    function hasWaiting() {
      if (!queue) { return Promise.resolve(false); }
      return queue.all().then(function (entries) {
        return queue.waitingAnswers(entries, attemptOf(form)).length > 0;
      }, function () { return false; });
    }

    function post() {
      var data = new FormData(form);
      data.set("go", "stay");
      return fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (json && (response.ok || response.status === 400)) { return response.json(); }
        throw new Error("not saved: " + response.status);
      }).then(function (result) {
        seq.value = result.seq;
        if (result.outcome === "saved") { say(status, texts.savedText); }
        if (result.outcome === "refused") {
          say(status, (texts.refusedText || "") + " " + result.errors.join(" "), true);
        }
        if (result.outcome === "stale") { say(status, texts.staleText, true); }
        if (result.outcome === "closed") { window.location.reload(); }
      });
    }

    function save() {
      if (busy) { again = true; return; }
      busy = true;
      // Answers already waiting on the device go first, in order: this one joins them.
      var work = navigator.onLine === false ? keepOnDevice()
        : hasWaiting().then(function (waiting) {
          if (!waiting) { return post().catch(keepOnDevice); }
          return keepOnDevice().then(function (kept) { return kept && queue.flushIfOnline(); });
        });
      inFlight = work.catch(function () { /* said in the status */ }).finally(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
    }

    // A button pressed while an autosave is pending or on its way: the pending one is not sent
    // (the button sends the same answer) and the one on its way is awaited, so the button's form
    // carries the newest token (otherwise the server would call the page out of date).
    function settled() {
      window.clearTimeout(timer);
      again = false;
      return inFlight;
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 800);
    }

    form.addEventListener("change", later);
    form.addEventListener("input", later);

    // A button press without a connection: a timed quiz says it needs one; otherwise the answer
    // is kept on the device, and where the service worker keeps quiz pages the trainee goes on.
    form.addEventListener("submit", function (event) {
      if (resubmitting) { return; }
      var submitter = event.submitter;
      var go = submitter && submitter.value;
      if (navigator.onLine === false) {
        event.preventDefault();
        window.clearTimeout(timer);
        keepOnDevice().then(function (kept) {
          var target = { next: texts.nextUrl, previous: texts.previousUrl, review: texts.reviewUrl }[go];
          if (kept && target && navigator.serviceWorker && navigator.serviceWorker.controller) {
            window.location.assign(target);
          }
        });
        return;
      }
      event.preventDefault();
      settled().then(function () {
        if (!queue) { return false; }
        return hasWaiting();
      }).then(function (waiting) {
        if (!waiting) { return true; }
        return keepOnDevice().then(queue.flushIfOnline).then(function (report) {
          return Boolean(report) && !report.stopped && report.problems.length === 0;
        });
      }).then(function (go_on) {
        if (!go_on) { return; }
        resubmitting = true;
        if (submitter) { form.requestSubmit(submitter); } else { form.submit(); }
      });
    });

    document.addEventListener("lms-offline-flushed", function (event) {
      var report = event.detail;
      var attempt = attemptOf(form);
      if (attempt in report.chains) { seq.value = report.chains[attempt]; }
      report.sent.forEach(function (entry) {
        if (entry.kind === "answer" && entry.attempt === attempt && entry.number === number) {
          say(status, texts.savedText);
        }
      });
    });

    if (!queue) { return; }
    // This question's answer kept on the device: waiting to be sent (a page reloaded offline
    // shows it again), or not saved by the server and filled in again to be given once more.
    queue.all().then(function (entries) {
      var mine = entries.filter(function (e) {
        return e.kind === "answer" && e.attempt === attemptOf(form) && e.number === number;
      });
      var waiting = mine.filter(function (e) { return e.state === "waiting"; });
      var returned = mine.filter(function (e) { return e.state !== "waiting"; });
      if (waiting.length) {
        queue.fill(form, waiting[waiting.length - 1].fields);
        say(status, texts.onDeviceText);
      } else if (returned.length) {
        var last = returned[returned.length - 1];
        queue.fill(form, last.fields);
        say(status, texts.restoredText + " " + (last.errors || []).join(" "), true);
        returned.forEach(function (e) { queue.remove(e.id); });
      }
    }).catch(function () { /* no IndexedDB: nothing was kept */ });
    if (timed) {
      window.addEventListener("offline", function () { say(status, texts.timedOfflineText, true); });
    }
  }

  // Submitting needs a connection; answers still on the device are sent first.
  function submitForm(form) {
    var status = form.querySelector(".submit-status");
    var resubmitting = false;
    form.addEventListener("submit", function (event) {
      if (resubmitting) { return; }
      if (navigator.onLine === false) {
        event.preventDefault();
        say(status, form.dataset.offlineText, true);
        return;
      }
      if (!queue) { return; }
      event.preventDefault();
      var attempt = attemptOf(form);
      queue.all().then(function (entries) {
        if (!queue.waitingAnswers(entries, attempt).length) { return true; }
        return queue.flush().then(function (report) {
          if (attempt in report.chains) { form.querySelector("input[name=seq]").value = report.chains[attempt]; }
          if (report.stopped) { say(status, form.dataset.offlineText, true); }
          return !report.stopped && report.problems.length === 0;
        });
      }, function () { return true; }).then(function (go_on) {
        if (!go_on) { return; }
        resubmitting = true;
        form.submit();
      });
    });
  }

  // The review page: how many answers wait on the device.
  function waitingCount(box) {
    if (!queue) { return; }
    function update() {
      queue.all().then(function (entries) {
        var count = queue.waitingAnswers(entries, Number(box.dataset.attempt)).length;
        box.textContent = count ? box.dataset.template.replace("{n}", String(count)) : "";
      }).catch(function () { /* nothing kept */ });
    }
    update();
    document.addEventListener("lms-offline-flushed", update);
  }

  function countdown(box) {
    var deadline = Date.parse(box.dataset.deadline);
    var shown = box.querySelector(".timer-remaining");
    var announce = box.querySelector(".timer-announce");
    var said = {};
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      shown.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      [10, 5, 1].forEach(function (mark) {
        if (minutes < mark && !said[mark] && left > 0) {
          said[mark] = true;
          announce.textContent = mark === 1 ? announce.dataset.oneMinuteLeft
            : announce.dataset.minutesLeft.replace("{n}", String(mark));
        }
      });
      if (left === 0) { window.clearInterval(handle); window.setTimeout(function () { window.location.reload(); }, 6000); }
    }
    var handle = window.setInterval(tick, 1000);
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("form.submit-form[data-attempt]").forEach(submitForm);
    document.querySelectorAll(".offline-waiting[data-attempt]").forEach(waitingCount);
    document.querySelectorAll(".timer[data-deadline]").forEach(countdown);
  });
})();
