// Small behaviours shared by every page: the phone menu and the phone filter panel.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle]");
  if (!toggle) {
    var sidebar = document.getElementById("sidebar");
    if (sidebar && sidebar.classList.contains("open") && !event.target.closest("#sidebar")) {
      sidebar.classList.remove("open");
    }
    return;
  }
  var target = document.getElementById(toggle.getAttribute("data-toggle"));
  if (target) {
    var open = target.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    event.stopPropagation();
  }
});
