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
