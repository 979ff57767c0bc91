// 居住地: narrows the municipality list to the chosen prefecture. Without this script the list still works,
// grouped by prefecture (one <optgroup> each), and the server checks that the two agree (talent/forms.py).
// Municipality codes (JIS X 0402) begin with the two-digit prefecture code, which is how groups are matched.
(function () {
  "use strict";

  function setUp(prefecture) {
    var form = prefecture.form;
    var municipality = form && form.querySelector("select[data-residence-municipality]");
    if (!municipality) {
      return;
    }
    var placeholder = municipality.querySelector("option[value='']");
    var groups = Array.prototype.slice.call(municipality.querySelectorAll("optgroup"));

    function groupFor(code) {
      for (var i = 0; i < groups.length; i++) {
        var first = groups[i].querySelector("option");
        if (first && first.value.slice(0, 2) === code) {
          return groups[i];
        }
      }
      return null;
    }

    function narrow() {
      var chosen = municipality.value;
      var code = prefecture.value;
      var keep = code ? groupFor(code) : null;
      while (municipality.firstChild) {
        municipality.removeChild(municipality.firstChild);
      }
      if (placeholder) {
        municipality.appendChild(placeholder);
      }
      (keep ? [keep] : groups).forEach(function (group) {
        municipality.appendChild(group);
      });
      // A town of another prefecture is never left selected behind the new choice.
      municipality.value = chosen && (!code || chosen.slice(0, 2) === code) ? chosen : "";
    }

    // Type-ahead (only with JavaScript, so it is built here): a search box above the list that hides the
    // towns whose name does not contain what is typed, within the chosen prefecture. Typing never chooses a
    // town by itself: the clerk still picks it from the list.
    var label = document.createElement("label");
    var search = document.createElement("input");
    search.type = "search";
    search.id = municipality.id + "_search";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-describedby", municipality.id + "_search_count");
    label.htmlFor = search.id;
    label.textContent = municipality.getAttribute("data-search-label") || "市区町村名で絞り込む";
    var count = document.createElement("p");
    count.id = municipality.id + "_search_count";
    count.className = "help";
    count.setAttribute("aria-live", "polite");
    municipality.parentNode.insertBefore(label, municipality);
    municipality.parentNode.insertBefore(search, municipality);
    municipality.parentNode.insertBefore(count, municipality);

    function filter() {
      var typed = (search.value || "").normalize("NFKC").trim();
      var shown = 0;
      municipality.querySelectorAll("optgroup option").forEach(function (option) {
        var match = !typed || option.textContent.normalize("NFKC").indexOf(typed) !== -1;
        option.hidden = !match;
        if (match && option.parentNode.parentNode === municipality) {
          shown += 1;
        }
      });
      var template = municipality.getAttribute("data-search-count") || "{n}件の市区町村が該当します";
      count.textContent = typed ? template.replace("{n}", String(shown)) : "";
    }

    search.addEventListener("input", filter);
    prefecture.addEventListener("change", narrow);
    prefecture.addEventListener("change", filter);  // after narrow: the count is of the towns still listed
    municipality.addEventListener("change", function () {
      // Choosing a town first (the full list) fills in its prefecture.
      if (!prefecture.value && municipality.value) {
        prefecture.value = municipality.value.slice(0, 2);
        narrow();
      }
    });
    narrow();
  }

  document.querySelectorAll("select[data-residence-prefecture]").forEach(setUp);
})();
