// Live role suggestions on the hearing form (templates/needs/_suggestions.html, needs:suggestion_preview).
// htmx leaves 4xx answers unswapped; the endpoint answers a text past the length limit with 400 and a burst of
// requests with 429, each with a fragment saying so, and the person typing should read that in place of a list
// that no longer matches the text. Loaded as a file: the Content-Security-Policy allows no inline script or hx-on.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (target && target.id === "live-suggestions" && (status === 400 || status === 429)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
