// Character count: under each field with a data-maxlength (written so by the widgets'
// attrs.html instead of maxlength, which makes browsers cut text silently), "n / max characters".
// Text areas always show it; short inputs once they near the limit. Without JavaScript the
// server still refuses an over-long text, with an error that keeps what was typed.
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-label")) || "{count} / {max}";
  var over = (script && script.getAttribute("data-over")) || "{extra}";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, key) {
      return String(values[key]);
    });
  }

  function attach(field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!max || field.type === "hidden") return;
    var counter = document.createElement("p");
    counter.className = "fr-hint-text opennrm-count";
    counter.id = (field.id || field.name) + "-count";
    field.insertAdjacentElement("afterend", counter);
    var describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    var always = field.tagName === "TEXTAREA";

    function update() {
      // Counted as the server counts: a line break is sent as two characters (\r\n).
      var count = field.value.replace(/\r?\n/g, "\r\n").length;
      var text = format(label, { count: count, max: max });
      if (count > max) {
        text += " " + format(over, { extra: count - max });
        counter.classList.add("opennrm-count--over");
        counter.setAttribute("aria-live", "polite");
      } else {
        counter.classList.remove("opennrm-count--over");
        counter.removeAttribute("aria-live");
      }
      counter.textContent = text;
      counter.hidden = !always && count < max * 0.8;
    }
    field.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[data-maxlength]").forEach(attach);
})();
