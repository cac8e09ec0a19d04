// Draws the impact report's charts from the figure JSON the page carries (no inline script: CSP).
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure]").forEach(function (area) {
      var source = document.getElementById(area.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = JSON.parse(area.getAttribute("data-config") || "{}");
      window.Plotly.newPlot(area, figure.data || [], figure.layout || {}, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
