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

  function within(root, selector) {
    if (!(root instanceof Element)) return null;
    return root.matches(selector) ? root : root.querySelector(selector);
  }

  // After a swap: read out what changed, and put focus where the person
  // expects it. An edit form focuses its field (autofocus); a saved or
  // cancelled field focuses itself again (data-focus), so keyboard users
  // keep their place.
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.elt;
    const source = within(target, "[data-announce]");
    if (source) announce(source.getAttribute("data-announce"));

    const focus = within(target, "[data-focus]") || within(target, "[autofocus]");
    if (focus) {
      focus.removeAttribute("data-focus");
      focus.focus();
      if (focus.select && focus.type !== "date") focus.select();
    }
  });

  // Escape in an inline edit form is its Cancel button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const form = event.target instanceof Element && event.target.closest("form[data-inline-edit]");
    if (!form) return;
    const cancel = form.querySelector("[data-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });

  // A file input with data-max-bytes refuses a larger file at once: the
  // server would refuse it too, but only after the upload, and a browser
  // still sending may show a reset connection instead of its answer.
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    const max = Number(input.getAttribute("data-max-bytes"));
    if (!max || !input.files) return;
    const tooLarge = Array.from(input.files).some(function (f) { return f.size > max; });
    input.setCustomValidity(tooLarge
      ? "This file is larger than " + Math.floor(max / 1048576) + " MB, the most this server accepts. Split it into smaller files."
      : "");
    if (tooLarge) input.reportValidity();
  });

  // Ctrl+Enter (or Cmd+Enter) in a textarea of an inline form saves it, as
  // Enter does in a one-line field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.form) return;
    event.preventDefault();
    area.form.requestSubmit();
  });
})();
