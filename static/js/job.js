// The job page's progress: polls the job's status.json and updates the bar; reloads the
// page once the job has ended, so that the server shows (or redirects to) its end state.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  function text(id, value) {
    var node = box.querySelector('[data-testid="' + id + '"]');
    if (node) node.textContent = value;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.finished || status.state !== box.getAttribute("data-job-state")) {
          window.location.reload();
          return;
        }
        var bar = box.querySelector("progress");
        if (bar) { bar.value = status.percent; bar.textContent = status.percent + " %"; }
        text("job-percent", status.percent + " %");
        text("job-state", status.state_label);
        text("job-stage", status.stage);
        text("job-time-left", status.time_left);
        text("job-rows", status.rows_text);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
