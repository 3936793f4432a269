// Product list: select-all on the page, bulk action fields, auto-submit of page size.
(function () {
  var form = document.getElementById("bulk-form");
  if (form) {
    var all = form.querySelector("[data-select-page]");
    if (all) {
      all.addEventListener("change", function () {
        form.querySelectorAll('input[name="selected"]').forEach(function (box) { box.checked = all.checked; });
      });
    }
    var action = document.getElementById("bulk-action");
    var sync = function () {
      form.querySelectorAll("[data-for]").forEach(function (el) {
        var wanted = el.getAttribute("data-for");
        var show = wanted === "status" ? action.value === "status" : action.value !== "status";
        el.hidden = !show;
      });
    };
    if (action) { action.addEventListener("change", sync); sync(); }
  }
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Choosing a regency reloads the filter form so that only its districts are offered.
  var regency = document.querySelector('.filters select[name="regency"]');
  var district = document.querySelector('.filters select[name="district"]');
  var panel = document.getElementById("filters");
  var KEEP_OPEN = "etalase:filters-open";
  if (regency && district) {
    regency.addEventListener("change", function () {
      district.value = "";
      // On a phone the panel is folded away after the reload; keep it open instead, so
      // the next filter (a district, say) can be chosen right away.
      if (panel && panel.classList.contains("open")) {
        try { sessionStorage.setItem(KEEP_OPEN, "1"); } catch (e) { /* private mode */ }
      }
      regency.form.submit();
    });
  }
  try {
    if (panel && sessionStorage.getItem(KEEP_OPEN)) {
      sessionStorage.removeItem(KEEP_OPEN);
      panel.classList.add("open");
      var toggle = document.querySelector('[data-toggle="filters"]');
      if (toggle) { toggle.setAttribute("aria-expanded", "true"); }
    }
  } catch (e) { /* storage unavailable: the panel simply starts folded */ }
})();
