/* Keyboard shortcuts for people who type all day. Never fire while typing in a field. */
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      var search = document.querySelector("[data-shortcut-search]");
      if (search) { event.preventDefault(); search.focus(); search.select && search.select(); }
    } else if (event.key === "n") {
      var intake = document.querySelector("[data-nav=intake]");
      if (intake) { event.preventDefault(); window.location = intake.href; }
    }
  });
  /* Ctrl+Enter submits the form being typed in (intake, transitions). */
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && event.target.form) {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });
  /* A form marked data-confirm asks before it is sent (transitions that cannot be undone). */
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
/* Intake: show the fields of the chosen channel only (all stay visible without JavaScript). */
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector("input[name=channel]:checked");
    var channel = checked ? checked.value : "";
    form.querySelectorAll("[data-for-channel]").forEach(function (el) {
      el.hidden = el.getAttribute("data-for-channel").split(" ").indexOf(channel) === -1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("intake-form");
    if (!form) return;
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "channel") sync(form);
    });
  });
})();
/* Lists: a header checkbox ticks or clears every row checkbox of its table. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
    if (!name) return;
    var table = event.target.closest("table");
    table.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
/* Behaviour the templates ask for with data- attributes: the Content Security Policy allows no
   inline handlers. A select marked data-submit-on-change sends its form (the language switcher);
   a button marked data-print prints the page. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-submit-on-change") && target.form) target.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
/* A page that comes back with errors: focus goes to the first field in error (marked aria-invalid,
   or the first field of the first error block), so that keyboard and screen reader start there. */
(function () {
  "use strict";
  var FIELDS = "input:not([type=hidden]), select, textarea";
  function usable(field) {
    return field && !field.disabled && !field.closest("[hidden]");
  }
  function firstInError(root) {
    var marked = Array.prototype.filter.call(root.querySelectorAll("[aria-invalid=true]"), usable);
    if (marked.length) return marked[0];
    var block = root.querySelector(".errorlist, .form-errors");
    var group = block && block.closest(".field, fieldset, form");
    return group && Array.prototype.filter.call(group.querySelectorAll(FIELDS), usable)[0];
  }
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.getElementById("main");
    var field = main && firstInError(main);
    if (!field) return;
    var details = field.closest("details");
    if (details) details.open = true;
    field.focus();
  });
})();
