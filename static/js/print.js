/* The print sheets' Print button (no inline handler: the Content-Security-Policy allows no inline script). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
