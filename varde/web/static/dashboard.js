// Dashboard charts: data comes from the JSON twin (/api/dashboard), never from inline scripts. Colours are the one
// status → colour table (varde/report/palette.py) that the report and the badges use too; counts get whole-number
// axes; axis labels get the room they need (automargin).
(function () {
  "use strict";
  var picker = document.getElementById("quarter");
  if (picker && picker.form) {
    picker.addEventListener("change", function () { picker.form.submit(); });
  }
  var holder = document.getElementById("charts");
  if (!holder || !window.Plotly) { return; }
  var names = {};
  try { names = JSON.parse(holder.dataset.labels || "{}"); } catch (e) { names = {}; }
  // No mode bar: it would inject styles the Content-Security-Policy refuses, and the tables hold the numbers.
  var config = { displayModeBar: false, responsive: true, showLink: false, showTips: false };
  function step(top) {
    // A whole-number tick step giving at most about six ticks.
    if (top <= 6) { return 1; }
    var raw = top / 6, power = Math.pow(10, Math.floor(Math.log10(raw))), unit = raw / power;
    return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
  }
  function layout(top, horizontal) {
    var counts = { rangemode: "tozero", tickformat: ",d", tick0: 0, dtick: step(top), automargin: true, range: [0, Math.max(top, 1) * 1.08] };
    var names = { automargin: true, tickangle: horizontal ? 0 : -30, type: "category" };
    return { barmode: "group", margin: { t: 10, r: 10, b: 10, l: 10 }, legend: { orientation: "h", y: -0.35 },
      font: { family: "system-ui, sans-serif", size: 12 }, xaxis: horizontal ? counts : names, yaxis: horizontal ? names : counts };
  }
  function bars(rows, keys, metrics, data) {
    var top = 0;
    var traces = metrics.map(function (m) {
      var values = keys.map(function (k) { var v = rows[k][m]; top = Math.max(top, v); return v; });
      return { type: "bar", name: names[m] || data.labels[m], x: keys, y: values, marker: { color: data.colours[m] } };
    });
    return { traces: traces, top: top };
  }
  function draw(id, rows, keys, metrics, data) {
    var chart = bars(rows, keys, metrics, data);
    window.Plotly.newPlot(id, chart.traces, layout(chart.top, false), config);
  }
  fetch(holder.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var shown = data.metrics.filter(function (m) { return m !== "raw_ads"; });
      draw("chart-quarters", data.totals, data.quarters, data.metrics, data);
      draw("chart-district", data.by_district, Object.keys(data.by_district), shown, data);
      draw("chart-violence", data.by_violence_type, Object.keys(data.by_violence_type), shown, data);
      holder.dataset.ready = "1";
    });
})();
