// Loaded in <head>, before the body is drawn, so the page never flashes the wrong layout.
// With JavaScript the menu collapses on narrow screens (Bootstrap's navbar); without it, the
// stylesheet shows the menu as a plain list.
document.documentElement.classList.add("js");

// A table too wide for the screen scrolls in its own box; such a box is made reachable by keyboard
// and named after its table, as WCAG asks of scrollable regions. Boxes that fit stay out of the
// tab order. A ResizeObserver tells when a box's width changes (a turned phone, a resized window).
(function () {
  function label(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = box.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
    if (!node) {
      var section = box.closest("section");
      node = section && section.querySelector("h2, h3");
    }
    return node ? node.textContent.trim() : document.title;
  }
  function mark(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label(box));
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
  var observer = window.ResizeObserver && new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { mark(entry.target); });
  });
  function watch() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      mark(box);
      if (observer) observer.observe(box);
    });
  }
  document.addEventListener("DOMContentLoaded", watch);
  document.addEventListener("htmx:afterSettle", watch);
})();
