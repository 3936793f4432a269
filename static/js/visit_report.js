// Visit report: the "Print" button (no inline handlers: CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
