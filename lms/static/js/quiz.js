// Progressive enhancement for quiz pages; everything works without it.
// 1. Autosave: answers are posted in the background shortly after each change.
// 2. Countdown: the time left is shown live, and announced to screen readers at a few points.
(function () {
  "use strict";

  function autosave(form) {
    var seq = form.querySelector("input[name=seq]");
    var status = form.querySelector(".save-status");
    var timer = null;
    var busy = false;
    var again = false;

    function save() {
      if (busy) { again = true; return; }
      busy = true;
      var data = new FormData(form);
      data.set("go", "stay");
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (result) {
        if (!result) { return; }
        seq.value = result.seq;
        if (result.outcome === "saved" && status) { status.textContent = form.dataset.savedText || ""; }
        if (result.outcome === "closed") { window.location.reload(); }
      }).catch(function () {
        // Offline: the answer is still in the form and is sent with the next button press.
      }).finally(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 800);
    }

    form.addEventListener("change", later);
    form.addEventListener("input", later);
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
    document.querySelectorAll(".timer[data-deadline]").forEach(countdown);
  });
})();
