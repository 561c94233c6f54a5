// Case picker: as the person types a reference or a pseudonym in an input with a
// data-case-picker URL, the matching cases they may see are fetched (a small HTML fragment of
// options, rendered by the server) into the element the input controls (aria-controls);
// choosing one fills the field named by data-case-field and moves the focus there. Without
// JavaScript the search is a plain GET form and each option attaches directly; either way the
// server checks the case chosen again.
(function () {
  "use strict";
  var MIN_LENGTH = 2;
  var DELAY = 250;

  function attach(input) {
    var url = input.getAttribute("data-case-picker");
    var results = document.getElementById(input.getAttribute("aria-controls"));
    var field = document.getElementById(input.getAttribute("data-case-field"));
    if (!url || !results || !field) return;
    var timer = null;
    var latest = 0;

    function search() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        results.innerHTML = "";
        return;
      }
      var asked = ++latest;
      fetch(url + "?case_search=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          if (asked === latest) results.innerHTML = html;
        })
        .catch(function () {
          /* the plain search (Enter) still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    results.addEventListener("click", function (event) {
      var option = event.target.closest("[data-case-pick]");
      if (!option) return;
      event.preventDefault();
      field.value = option.getAttribute("data-case-pick");
      field.focus();
    });
  }

  document.querySelectorAll("[data-case-picker]").forEach(attach);
})();
