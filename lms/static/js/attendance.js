/* Attendance marking: a name filter for long lists and a live count of those ticked.
   The page works without this script (tick, Tab, Space, save); this only saves scrolling. */
(function () {
  "use strict";
  var form = document.querySelector(".attendance-form");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=present]"));
  var count = document.getElementById("attendance-count");
  var filterField = form.querySelector(".attendance-filter");
  var filter = document.getElementById("attendance-filter");

  function updateCount() {
    if (!count) { return; }
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    count.textContent = count.getAttribute("data-template")
      .replace("{present}", String(ticked))
      .replace("{total}", String(boxes.length));
  }

  function applyFilter() {
    var wanted = filter.value.trim().toLocaleLowerCase();
    boxes.forEach(function (box) {
      var label = form.querySelector("label[for='" + box.id + "']");
      var name = label ? label.textContent.toLocaleLowerCase() : "";
      box.closest("li").hidden = wanted !== "" && name.indexOf(wanted) === -1;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "present") { updateCount(); }
  });
  if (filterField && filter) {
    filterField.hidden = false;
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); } // Enter filters; it must not save
    });
  }
}());
