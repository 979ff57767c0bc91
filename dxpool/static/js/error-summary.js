// Error summary (GOV.UK / デジタル庁 design-system pattern), see templates/includes/error_summary.html.
// On a failed submit the page reloads at the top; moving focus to the summary makes screen readers read it and
// lets keyboard users go straight to the first wrong field. A link in the summary focuses its input (a plain
// fragment link only scrolls) and scrolls so the field's label or legend stays visible above it.
(function () {
  "use strict";

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && (input.type === "radio" || input.type === "checkbox")) {
      var legend = fieldset.querySelector("legend");
      if (legend) { return legend; }
    }
    if (input.id) {
      var label = document.querySelector("label[for='" + CSS.escape(input.id) + "']");
      if (label) { return label; }
    }
    return input;
  }

  function onClick(event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    // Only form controls are taken over; a link to a table or a section keeps the browser's own behaviour.
    if (!input || !input.matches("input, select, textarea, button, [tabindex]")) { return; }
    event.preventDefault();
    labelFor(input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  }

  function init() {
    var summaries = document.querySelectorAll("[data-error-summary]");
    summaries.forEach(function (summary) { summary.addEventListener("click", onClick); });
    if (summaries.length) {
      summaries[0].focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
