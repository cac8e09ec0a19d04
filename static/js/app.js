// Small progressive enhancements; every page works without them.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Show the country or the organization field, whichever the delegation's type needs.
  var kind = document.getElementById("kind");
  if (kind) {
    var toggle = function () {
      var country = document.getElementById("country_code");
      var organization = document.getElementById("organization");
      if (country) { country.closest(".field").hidden = kind.value !== "member"; }
      if (organization) { organization.closest(".field").hidden = kind.value !== "observer"; }
    };
    kind.addEventListener("change", toggle);
    toggle();
  }
});

document.addEventListener("DOMContentLoaded", function () {
  // Print buttons only exist with JavaScript; without it the browser's own print works the same.
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});

// A table wider than its box scrolls sideways inside it: such a box takes the keyboard focus (arrows scroll it)
// and is named after its table's caption or the heading above it. Checked again when the window changes size.
(function () {
  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) { return el.textContent.trim(); }
    }
    var heading = wrap.closest("section") && wrap.closest("section").querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function update() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", nameOf(wrap));
        wrap.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
        ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  }
  var pending = false;
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("load", update);
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; update(); });
  });
}());

document.addEventListener("DOMContentLoaded", function () {
  // Follow a job the worker is doing (sending messages, drawing PDFs): its progress every two seconds, then the
  // page again (reloaded, so what the job changed shows), or the link to its result.
  document.querySelectorAll("[data-job-url]").forEach(function (box) {
    if (box.getAttribute("data-job-active") !== "yes") { return; }
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-job-text]");
    var link = box.querySelector("[data-job-result]");
    var poll = function () {
      fetch(box.getAttribute("data-job-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { window.setTimeout(poll, 5000); return; }
          text.textContent = job.text;
          if (job.total) { bar.max = job.total; bar.value = job.done; }
          if (job.active) { window.setTimeout(poll, 2000); return; }
          bar.hidden = true;
          box.classList.add(job.status);
          if (job.result_url) { link.href = job.result_url; link.hidden = false; link.focus(); }
          else if (job.status === "done") { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  });
});

// Tables wider than the screen scroll inside their frame: mark the edges where columns are hidden (a shadow) and show
// the hint before the table while there is something to scroll to.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  if (!frames.length) { return; }
  var mark = function (frame) {
    var hidden = frame.scrollWidth - frame.clientWidth;
    frame.classList.toggle("scrolls-left", hidden > 1 && frame.scrollLeft > 1);
    frame.classList.toggle("scrolls-right", hidden > 1 && frame.scrollLeft < hidden - 1);
    var hint = frame.previousElementSibling;
    if (hint && hint.hasAttribute("data-scroll-hint")) { hint.classList.toggle("shown", hidden > 1); }
  };
  frames.forEach(function (frame) {
    frame.addEventListener("scroll", function () { mark(frame); }, { passive: true });
    mark(frame);
  });
  window.addEventListener("resize", function () { frames.forEach(mark); });
});
