// Quick exit: leave the site at once, replacing this page in the history so that "Back"
// does not return here. Also bound to the Escape key on pages that show the button.
(function () {
  "use strict";
  function leave(url) {
    document.body.style.visibility = "hidden";
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    leave(link.href);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var link = document.querySelector("[data-quick-exit]");
    if (link) leave(link.href);
  });
})();
