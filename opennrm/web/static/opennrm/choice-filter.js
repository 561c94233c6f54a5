// Long lists of choices without Ctrl-click (opennrm.web.forms): a filter box above each
// `select[data-filterable]` and inside each `[data-filterable-list]` (a list of checkboxes).
// Typing part of a name, accents and case ignored, leaves only the matching choices. The
// chosen checkboxes are shown as tags above the list. Without JavaScript the select and the
// checkboxes work as they are.
(function () {
  "use strict";
  var script = document.currentScript;
  var filterLabel = (script && script.getAttribute("data-label")) || "Filter";
  var filterHint = (script && script.getAttribute("data-hint")) || "";
  var noneText = (script && script.getAttribute("data-none")) || "";
  var counter = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function filterBox(forId) {
    counter += 1;
    var group = document.createElement("div");
    group.className = "fr-input-group opennrm-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "fr-input";
    input.id = "opennrm-filter-" + counter;
    input.setAttribute("autocomplete", "off");
    if (forId) input.setAttribute("aria-controls", forId);
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = input.id;
    label.textContent = filterLabel;
    if (filterHint) {
      var hint = document.createElement("span");
      hint.className = "fr-hint-text";
      hint.textContent = filterHint;
      label.appendChild(hint);
    }
    group.appendChild(label);
    group.appendChild(input);
    // Enter filters; it never sends the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    return { group: group, input: input };
  }

  function attachSelect(select) {
    if (!select.id) return;
    var box = filterBox(select.id);
    select.insertAdjacentElement("beforebegin", box.group);
    var options = Array.prototype.slice.call(select.options);
    var folded = options.map(function (option) { return fold(option.text); });
    box.input.addEventListener("input", function () {
      var wanted = fold(box.input.value);
      var first = null;
      options.forEach(function (option, index) {
        var keep = !wanted || option.value === "" || folded[index].indexOf(wanted) !== -1;
        option.hidden = !keep;
        if (keep && option.value !== "" && first === null) first = option;
      });
      var current = select.options[select.selectedIndex];
      if (wanted && first && (!current || current.hidden || current.value === "")) {
        first.selected = true;
      }
    });
    box.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") select.focus();
    });
  }

  function attachList(fieldset) {
    var list = fieldset.querySelector(".opennrm-choices__list");
    var details = fieldset.querySelector("details");
    var tags = fieldset.querySelector(".opennrm-choices__chosen");
    var none = fieldset.querySelector(".opennrm-choices__none");
    if (!list || !details) return;
    var box = filterBox(list.id);
    list.insertAdjacentElement("beforebegin", box.group);
    var groups = Array.prototype.slice.call(list.querySelectorAll(".fr-checkbox-group"));
    var folded = groups.map(function (group) { return fold(group.textContent); });
    box.input.addEventListener("input", function () {
      var wanted = fold(box.input.value);
      groups.forEach(function (group, index) {
        group.hidden = Boolean(wanted) && folded[index].indexOf(wanted) === -1;
      });
    });
    list.addEventListener("change", function () {
      if (!tags) return;
      tags.textContent = "";
      var count = 0;
      groups.forEach(function (group) {
        var input = group.querySelector("input");
        if (!input || !input.checked) return;
        count += 1;
        var item = document.createElement("li");
        var tag = document.createElement("p");
        tag.className = "fr-tag fr-tag--sm";
        tag.textContent = group.querySelector("label").textContent;
        item.appendChild(tag);
        tags.appendChild(item);
      });
      if (none) none.hidden = count > 0;
      else if (!count && noneText) {
        none = document.createElement("p");
        none.className = "fr-text--sm opennrm-choices__none";
        none.textContent = noneText;
        tags.insertAdjacentElement("afterend", none);
      }
    });
  }

  document.querySelectorAll("select[data-filterable]").forEach(attachSelect);
  document.querySelectorAll("[data-filterable-list]").forEach(attachList);
})();
