// Dashboard charts: data comes from the JSON twin (/api/dashboard), never from inline scripts.
(function () {
  "use strict";
  var holder = document.getElementById("charts");
  if (!holder || !window.Plotly) { return; }
  // No mode bar: it would inject styles the Content-Security-Policy refuses, and the tables hold the numbers.
  var config = { displayModeBar: false, responsive: true, showLink: false, showTips: false };
  var layout = function (extra) {
    return Object.assign({ barmode: "group", margin: { t: 10, r: 10, b: 80, l: 40 }, legend: { orientation: "h" },
      font: { family: "system-ui, sans-serif", size: 12 } }, extra || {});
  };
  function bars(rows, keys, metrics, labels) {
    return metrics.map(function (m) {
      return { type: "bar", name: labels[m], x: keys, y: keys.map(function (k) { return rows[k][m]; }) };
    });
  }
  fetch(holder.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var shown = data.metrics.filter(function (m) { return m !== "raw_ads"; });
      window.Plotly.newPlot("chart-quarters", bars(data.totals, data.quarters, data.metrics, data.labels), layout(), config);
      window.Plotly.newPlot("chart-district", bars(data.by_district, Object.keys(data.by_district), shown, data.labels), layout(), config);
      window.Plotly.newPlot("chart-violence", bars(data.by_violence_type, Object.keys(data.by_violence_type), shown, data.labels), layout(), config);
      holder.dataset.ready = "1";
    });
})();
