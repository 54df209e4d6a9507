// The intake desk: region search, category class filter, parties inline, the duplicate panel, Ctrl+Enter.
// Plain JS, no build step. The form works without it (kinds are grouped by class; parties post as a formset).
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) return;

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // --- region chooser: a combobox over /api/v1/regions/?q= (already limited to the clerk's jurisdiction)
  var search = document.getElementById("region-search");
  var hidden = form.querySelector("input[name=region]");
  var list = document.getElementById("region-list");
  var options = [];
  var active = -1;

  function closeList() {
    list.hidden = true;
    search.setAttribute("aria-expanded", "false");
    active = -1;
  }
  function choose(region) {
    hidden.value = region.code;
    search.value = region.name + "（" + region.code + "）";
    closeList();
    refreshDuplicates();
  }
  function highlight(index) {
    var items = list.querySelectorAll("li");
    items.forEach(function (li, i) {
      li.classList.toggle("active", i === index);
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (items[index]) {
      items[index].scrollIntoView({ block: "nearest" });
      search.setAttribute("aria-activedescendant", items[index].id);
    }
  }
  function render(regions) {
    options = regions;
    list.textContent = "";
    regions.forEach(function (region, i) {
      var li = document.createElement("li");
      li.id = "region-opt-" + i;
      li.setAttribute("role", "option");
      li.dataset.code = region.code;
      var name = document.createElement("strong");
      name.textContent = region.name;
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = " " + region.code + " · " + region.level_label;
      li.appendChild(name);
      li.appendChild(meta);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(region);
      });
      list.appendChild(li);
    });
    if (!regions.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = list.dataset.empty;
      list.appendChild(empty);
    }
    list.hidden = false;
    search.setAttribute("aria-expanded", "true");
    highlight(regions.length ? 0 : -1);
  }
  var lookup = debounce(function () {
    var term = search.value.replace(/（\d+）$/, "").trim();
    if (!term) return closeList();
    fetch(form.dataset.regionsUrl + "?q=" + encodeURIComponent(term), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) { render(Array.isArray(data) ? data : data.results || []); })
      .catch(function () { closeList(); });
  }, 200);
  if (search) {
    search.addEventListener("input", function () {
      hidden.value = /^\d{12}$/.test(search.value.trim()) ? search.value.trim() : "";
      lookup();
    });
    search.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter") { if (options[active]) { event.preventDefault(); choose(options[active]); } }
      else if (event.key === "Escape") { closeList(); }
    });
    search.addEventListener("blur", function () { setTimeout(closeList, 150); });
  }

  // --- category: pick the class, then the kind (the kind list shows only that class's optgroup)
  var classSelect = document.getElementById("category-class");
  var kindSelect = form.querySelector("select[name=category]");
  function filterKinds() {
    var prefix = classSelect.value;
    kindSelect.querySelectorAll("optgroup").forEach(function (group) {
      var show = !prefix || group.label.indexOf(prefix + " ") === 0;
      group.hidden = !show;
      group.disabled = !show;
    });
    var current = kindSelect.value;
    if (prefix && current && current.indexOf(prefix) !== 0) kindSelect.value = "";
  }
  if (classSelect && kindSelect) {
    if (kindSelect.value) classSelect.value = kindSelect.value.slice(0, 2);
    classSelect.addEventListener("change", function () { filterKinds(); kindSelect.focus(); });
    kindSelect.addEventListener("change", function () {
      if (kindSelect.value) classSelect.value = kindSelect.value.slice(0, 2);
      refreshDuplicates();
    });
    filterKinds();
  }

  // --- parties: add and remove rows of the formset
  var parties = document.getElementById("parties");
  var template = document.getElementById("party-template");
  var total = form.querySelector("input[name=parties-TOTAL_FORMS]");
  function renumber() {
    parties.querySelectorAll("[data-party]").forEach(function (row, i) {
      row.querySelector(".party-no").textContent = String(i + 1);
      row.querySelectorAll("input, select, textarea, label").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/parties-(\d+|__prefix__)-/, "parties-" + i + "-"));
        });
      });
    });
    total.value = parties.querySelectorAll("[data-party]").length;
  }
  document.getElementById("add-party").addEventListener("click", function () {
    parties.appendChild(template.content.cloneNode(true));
    renumber();
    var rows = parties.querySelectorAll("[data-party]");
    var last = rows[rows.length - 1];
    var role = last.querySelector("select[name$=role]");
    if (role) role.value = "respondent";
    last.querySelector("input[name$=name]").focus();
  });
  parties.addEventListener("click", function (event) {
    if (!event.target.classList.contains("remove-party")) return;
    event.target.closest("[data-party]").remove();
    renumber();
    refreshDuplicates();
  });
  renumber();

  // --- duplicate panel: open cases with the same ID or phone, or the same place and kind within 30 days
  var panel = document.getElementById("duplicates");
  var lastQuery = "";
  function refreshDuplicates() {
    var params = new URLSearchParams();
    form.querySelectorAll("[data-dup]").forEach(function (input) {
      var value = input.value.trim();
      if (value.length >= 7) params.append(input.dataset.dup, value);
    });
    if (hidden && hidden.value) params.append("region", hidden.value);
    if (kindSelect && kindSelect.value) params.append("category", kindSelect.value);
    var query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    // POST: identity numbers stay out of URLs and server logs
    params.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    fetch(form.dataset.duplicatesUrl, { method: "POST", body: params, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (html && query === lastQuery) {
          panel.innerHTML = html; // server-rendered and escaped by Django's templates
          panel.dataset.loaded = query;
        }
      });
  }
  var refreshSoon = debounce(refreshDuplicates, 400);
  form.addEventListener("input", function (event) {
    if (event.target.matches("[data-dup]")) refreshSoon();
  });
  if (hidden && hidden.value && kindSelect && kindSelect.value) refreshDuplicates();
  form.querySelectorAll("[data-dup]").forEach(function (input) {
    if (input.value.trim()) refreshSoon();
  });

  // --- keyboard: Ctrl+Enter (or Cmd+Enter) saves from anywhere; Enter in a text box never submits early
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(document.getElementById("save-case"));
    } else if (event.key === "Enter" && event.target.tagName === "INPUT" && event.target.type !== "submit") {
      event.preventDefault();
    }
  });
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.id === "save-case") submitter.disabled = true; // no double registration
    setTimeout(function () { if (submitter) submitter.disabled = false; }, 8000);
  });
})();
