// Behaviour htmx does not provide on its own. Kept free of inline handlers
// and eval so the Content-Security-Policy can forbid both.
(function () {
  "use strict";

  // Screen readers hear nothing when htmx swaps content, so a swapped
  // element that carries data-announce has its text read out through the
  // page's polite live region.
  function announce(text) {
    const region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    // A short delay makes repeated identical messages be read again.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.elt;
    if (!(target instanceof Element)) return;
    const source = target.matches("[data-announce]")
      ? target
      : target.querySelector("[data-announce]");
    if (source) announce(source.getAttribute("data-announce"));
  });
})();
