/* Draws the dashboard's charts from the JSON the page embeds (#analytics-data); every chart has a table
   beside it. Clicking a bar or slice opens what lies behind it (row.url). No inline script: CSP-ready. */
(function () {
  "use strict";
  var source = document.getElementById("analytics-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = document.getElementById("analytics-labels").dataset;  // translated by the template
  var RECEIVED = labels.received, RESOLVED = labels.resolved;
  var COLORS = { red: "#c62828", yellow: "#f9a825", blue: "#1565c0" };

  function bar(rows) {
    rows = rows.slice(0, 15);
    return {
      tooltip: { trigger: "axis" },
      legend: { data: [RECEIVED, RESOLVED] },
      grid: { left: 40, right: 10, bottom: 70, top: 30 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: RECEIVED, type: "bar", data: rows.map(function (r) { return r.received; }) },
        { name: RESOLVED, type: "bar", data: rows.map(function (r) { return r.resolved; }) }
      ]
    };
  }

  function pie(rows) {
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["35%", "65%"],
        data: rows.map(function (r) {
          var item = { name: r.label, value: r.received };
          if (COLORS[r.key]) { item.itemStyle = { color: COLORS[r.key] }; }
          return item;
        })
      }]
    };
  }

  function tiers(rows) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 10, bottom: 30, top: 20 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: RESOLVED, type: "bar", data: rows.map(function (r) { return r.resolved; }) }]
    };
  }

  function trend(value) {
    var classes = value.classes.slice(0, 8);
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 10, bottom: 30, top: 40 },
      xAxis: { type: "category", data: value.months },
      yAxis: { type: "value", minInterval: 1 },
      series: classes.map(function (c) {
        return { name: c.label + (c.rising ? " ↑" : ""), type: "line", data: c.values, lineStyle: { width: c.rising ? 3 : 1.5 } };
      })
    };
  }

  var builders = { bar: bar, pie: pie, tiers: tiers, trend: trend };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var value = data[element.dataset.chart];
    var build = builders[element.dataset.type];
    if (!value || !build) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(build(value));
    if (Array.isArray(value)) {
      chart.on("click", function (params) {
        var row = value[params.dataIndex];
        if (row && row.url) { window.location.href = row.url; }
      });
    }
    element.dataset.rendered = "true";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
