// Product gallery: clicking a thumbnail shows that photo in the main frame.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-gallery]");
  var main = document.getElementById("gallery-main");
  if (!link || !main) { return; }
  event.preventDefault();
  main.src = link.href;
  document.querySelectorAll("a[data-gallery]").forEach(function (a) { a.removeAttribute("aria-current"); });
  link.setAttribute("aria-current", "true");
});
