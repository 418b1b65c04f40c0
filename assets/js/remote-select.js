// Searched selects (amelio/core/widgets.py): the options of a select marked
// data-remote-options are asked of the server as the person types, through Tom Select.
(function () {
  "use strict";

  function enhance(root) {
    if (typeof TomSelect === "undefined") {
      return; // without the library the plain select still works with its chosen value
    }
    root.querySelectorAll("select[data-remote-options]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var source = select.getAttribute("data-remote-options");
      // Tom Select points the field's <label> at its own input: the original select, still
      // read by assistive technology, keeps its name through aria-label.
      var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
      if (label && !select.hasAttribute("aria-label")) {
        select.setAttribute("aria-label", label.textContent.trim());
      }
      new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: ["text"],
        allowEmptyOption: false, // "any": the placeholder, and the clear button returns to it
        placeholder: select.getAttribute("data-placeholder") || "",
        plugins: ["clear_button"],
        preload: "focus",
        loadThrottle: 250,
        maxOptions: 20,
        load: function (query, callback) {
          var url = source + "&q=" + encodeURIComponent(query);
          fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (options) { callback(options); })
            .catch(function () { callback(); });
        },
        render: {
          no_results: function () {
            return '<div class="no-results">' + (select.getAttribute("data-no-results") || "—") + "</div>";
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
