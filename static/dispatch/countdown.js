// Keeps deadline countdowns current: elements with data-due (ISO time); translated words come from
// the data attributes of #countdown-labels, so this file holds no user-facing text.
(function () {
  "use strict";
  function render(el) {
    var labels = document.getElementById("countdown-labels").dataset;
    var ms = new Date(el.dataset.due).getTime() - Date.now();
    var span = Math.abs(ms);
    var days = Math.floor(span / 86400000);
    var hours = Math.floor((span % 86400000) / 3600000);
    var minutes = Math.floor((span % 3600000) / 60000);
    var text = (days ? days + labels.day : "") + (hours || days ? hours + labels.hour : "") + minutes + labels.minute;
    el.textContent = (ms >= 0 ? labels.left : labels.over) + " " + text;
    el.classList.toggle("overdue", ms < 0);
  }
  function tick() {
    if (!document.getElementById("countdown-labels")) { return; }
    document.querySelectorAll("[data-due]").forEach(render);
  }
  tick();
  setInterval(tick, 30000);
})();
