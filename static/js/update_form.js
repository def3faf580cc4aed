// The status update form: a light's reason shows only when it is needed, and the error summary takes focus.
// Without this file every reason field shows, and the server checks everything at submission anyway.
(function () {
  "use strict";

  function needsReason(row) {
    var checked = row.querySelector(".light-input:checked");
    var value = checked ? checked.value : "";
    var proposed = row.dataset.proposed;
    return value === "yellow" || value === "red" || (proposed !== "" && value !== "" && value !== proposed);
  }

  function update(row) {
    var reason = row.querySelector("[data-light-reason]");
    var text = reason.querySelector("textarea");
    var needed = needsReason(row);
    var invalid = text.classList.contains("is-invalid");
    reason.hidden = !(needed || invalid || text.value.trim() !== "");
    text.setAttribute("aria-required", needed ? "true" : "false");
  }

  function init(root) {
    root.querySelectorAll("[data-light-row]").forEach(function (row) {
      update(row);
      row.addEventListener("change", function () {
        var wasHidden = row.querySelector("[data-light-reason]").hidden;
        update(row);
        var reason = row.querySelector("[data-light-reason]");
        if (wasHidden && !reason.hidden) {
          reason.querySelector("textarea").focus();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });

  // An autosave's answer that comes after a newer save's (an add made while the autosave was on its way) must
  // not put its older version back: the page shows the newer draft, and its next save starts from that one.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "id_version") {
      var incoming = event.detail.fragment.querySelector("#id_version");
      if (incoming && Number(incoming.value) < Number(target.value)) {
        event.detail.shouldSwap = false;
      }
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var section = event.detail.target;
    if (section && section.id && section.id.indexOf("section-") === 0) {
      var invalid = section.querySelector(".new-row .is-invalid");
      var first = invalid || section.querySelector(".new-row input, .new-row select");
      if (first) {
        first.focus();
      }
    }
  });
})();
