// The preliminary assessment's form (no inline script: the CSP forbids it).
// - The error summary, when the page has one, takes the focus, and each of its links moves
//   the focus to the field in error (a radio: the checked one, else the first that can be
//   chosen), its legend or label scrolled into view.
// - The hidden "section" field follows the section being worked in, so that "Save draft" at
//   the bottom of the form brings the person back there (without JavaScript: to the top).
// - Each section's count of answered indicators and the overall count follow the radios.
(function () {
  "use strict";
  var script = document.currentScript;
  var perSection = (script && script.getAttribute("data-section-label")) || "{answered} / {total}";
  var overall = (script && script.getAttribute("data-overall")) || "{answered} / {total}";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, key) {
      return String(values[key]);
    });
  }

  function fieldIn(target) {
    if (!target) return null;
    if (/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName)) {
      if (target.type === "radio" && target.name) {
        var group = document.querySelectorAll('input[type=radio][name="' + target.name + '"]');
        var checked = Array.prototype.filter.call(group, function (radio) {
          return radio.checked && !radio.disabled;
        });
        if (checked.length) return checked[0];
      }
      if (!target.disabled) return target;
    }
    var inside = target.querySelector(
      "input:checked:not([disabled]), input:not([type=hidden]):not([disabled]), textarea, select"
    );
    if (inside) return fieldIn(inside) || inside;
    target.setAttribute("tabindex", "-1");
    return target;
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      var field = fieldIn(target);
      if (!field) return;
      event.preventDefault();
      var fieldset = field.closest("fieldset");
      var shown = (fieldset && fieldset.querySelector("legend")) ||
        document.querySelector('label[for="' + field.id + '"]') || field;
      shown.scrollIntoView();
      field.focus({ preventScroll: true });
      if (window.history && window.history.replaceState && target) {
        window.history.replaceState(null, "", "#" + target.id);
      }
    });
  }

  var form = document.getElementById("assessment-form");
  if (!form) return;
  var current = document.getElementById("current-section");
  var sections = form.querySelectorAll("[data-section]");

  function count(section) {
    var rows = section.querySelectorAll("fieldset[id^='indicator-']");
    var answered = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      if (checked && checked.value !== "unknown") answered += 1;
    });
    return { answered: answered, total: rows.length };
  }

  function refresh() {
    var all = { answered: 0, total: 0 };
    Array.prototype.forEach.call(sections, function (section) {
      var counted = count(section);
      all.answered += counted.answered;
      all.total += counted.total;
      document.querySelectorAll('[data-progress-for="' + section.id + '"]').forEach(function (el) {
        var extra = el.querySelector("[data-extra]");
        el.textContent = format(perSection, counted);
        if (extra) el.appendChild(extra);
      });
    });
    document.querySelectorAll("[data-progress-overall]").forEach(function (el) {
      el.textContent = format(overall, all);
    });
  }

  form.addEventListener("focusin", function (event) {
    var section = event.target.closest("[data-section]");
    if (section && current) current.value = section.getAttribute("data-section");
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") refresh();
  });
})();
