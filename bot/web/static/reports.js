// Draws the reports page's charts from the same JSON that GET /api/reports returns.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var labels = JSON.parse(document.getElementById("report-labels").textContent);
  var GREEN = "#0b7a5a", BLUE = "#2f6fb3";
  var base = {responsive: true, maintainAspectRatio: false, animation: false,
              plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}};

  function bar(id, xs, ys, label, color) {
    return new Chart(document.getElementById(id), {
      type: "bar", data: {labels: xs, datasets: [{label: label, data: ys, backgroundColor: color || GREEN}]},
      options: base});
  }

  var periods = data.by_period.map(function (r) { return r.period; });
  var datasets = [{type: "bar", label: labels.orders, data: data.by_period.map(function (r) { return r.orders; }),
                   backgroundColor: GREEN, yAxisID: "y"}];
  var scales = {y: {beginAtZero: true, ticks: {precision: 0}}};
  if (data.totals.revenue !== undefined) {
    datasets.push({type: "line", label: labels.revenue, data: data.by_period.map(function (r) { return r.revenue; }),
                   borderColor: BLUE, backgroundColor: BLUE, yAxisID: "y1"});
    scales.y1 = {beginAtZero: true, position: "right", grid: {drawOnChartArea: false}};
  }
  new Chart(document.getElementById("chart-period"), {
    data: {labels: periods, datasets: datasets},
    options: {responsive: true, maintainAspectRatio: false, animation: false, scales: scales}});
  bar("chart-service", data.by_service.map(function (r) { return labels.services[r.service] || r.service; }),
      data.by_service.map(function (r) { return r.orders; }), labels.orders);
  bar("chart-hour", data.by_hour.map(function (_, h) { return h + ":00"; }), data.by_hour, labels.orders, BLUE);
  bar("chart-weekday", labels.weekdays, data.by_weekday, labels.orders, BLUE);
  bar("chart-channel", data.by_channel.map(function (r) { return r.channel; }),
      data.by_channel.map(function (r) { return r.orders; }), labels.orders);
})();
