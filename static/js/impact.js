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
      window.Plotly.newPlot(area, figure.data || [], figure.layout || {}, config).then(function () { label(area); });
    });
  }
  // The drawing is one image named by its caption; plotly's buttons beside it stay outside the image (an image
  // holding buttons is a nested control to assistive technology).
  function label(area) {
    area.querySelectorAll("svg.main-svg").forEach(function (svg, index) {
      if (index === 0) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", area.getAttribute("data-label") || "");
      } else {
        svg.setAttribute("aria-hidden", "true");  // plotly's hover layer: no content of its own
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
