// Collection page: a "Copy" button next to each live share link's address (the address
// stays a read-only field that can be selected and copied without JavaScript).
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = button.parentElement.querySelector("[data-copy-source]");
    if (!field || !navigator.clipboard) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "✓";
        setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  });
  document.querySelectorAll("[data-copy-source]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
