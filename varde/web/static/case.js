// Case page: keep "time left" live from the data-* attributes the server wrote; u goes back to the queue.
(function () {
  "use strict";
  function describe(ms) {
    var minutes = Math.round(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    var parts = [];
    if (days) { parts.push(days + " d"); }
    if (hours) { parts.push(hours + " h"); }
    if (!days) { parts.push(mins + " min"); }
    return parts.join(" ");
  }
  function update() {
    document.querySelectorAll("[data-when-start]").forEach(function (el) {
      var start = Date.parse(el.dataset.whenStart), end = Date.parse(el.dataset.whenEnd), now = Date.now();
      if (isNaN(start) || isNaN(end)) { return; }
      // The words come from the page, in its language; only the spans are worked out here.
      var words = el.dataset;
      if (now < start) { el.textContent = words.before.replace("{start}", describe(start - now)).replace("{end}", describe(end - now)); }
      else if (now < end) { el.textContent = words.during.replace("{end}", describe(end - now)); }
      else { el.textContent = words.after.replace("{span}", describe(now - end)); }
    });
  }
  update();
  window.setInterval(update, 30000);
  document.addEventListener("keydown", function (event) {
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    if (event.key === "u" && !event.ctrlKey && !event.metaKey) { window.location.assign("/"); }
  });
})();
