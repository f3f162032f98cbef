/* The public form's photo picker: hides the browser's file input (its own words are in the browser's language,
   not the page's) and lists the chosen photo with its name, size and a thumbnail drawn on a canvas (no blob: or
   data: URL, nothing inline: the Content-Security-Policy stays as it is). Without this script the form works the
   same with the browser's input. The words come from the template's data attributes, in the customer's language. */
(function () {
  "use strict";

  var MAX_BYTES = 8 * 1024 * 1024;
  var THUMB = 64;

  function size(bytes) {
    var lang = document.documentElement.lang || undefined;
    var mb = bytes / (1024 * 1024);
    var number = new Intl.NumberFormat(lang, { maximumFractionDigits: mb < 10 ? 1 : 0 });
    return mb >= 1 ? number.format(mb) + " MB" : number.format(Math.max(1, Math.round(bytes / 1024))) + " KB";
  }

  function thumbnail(file, item) {
    if (!window.createImageBitmap) return;
    window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(THUMB / bitmap.width, THUMB / bitmap.height, 1);
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.setAttribute("aria-hidden", "true");
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      item.insertBefore(canvas, item.firstChild);
    }).catch(function () { /* a format the browser cannot draw: the name is enough */ });
  }

  function show(picker, input, list) {
    list.textContent = "";
    var files = Array.prototype.slice.call(input.files || []);
    list.hidden = files.length === 0;
    files.forEach(function (file) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.className = "picker-name";
      name.textContent = file.name;
      var detail = document.createElement("small");
      detail.textContent = size(file.size);
      name.appendChild(detail);
      if (file.size > MAX_BYTES) {
        var warning = document.createElement("span");
        warning.className = "error";
        warning.textContent = picker.dataset.tooLarge;
        name.appendChild(warning);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "picker-remove";
      remove.textContent = picker.dataset.remove;
      remove.addEventListener("click", function () {
        input.value = "";
        show(picker, input, list);
        input.focus();
      });
      item.appendChild(name);
      item.appendChild(remove);
      list.appendChild(item);
      thumbnail(file, item);
    });
  }

  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    var input = picker.querySelector("input[type=file]");
    var list = picker.querySelector("[data-picker-chosen]");
    if (!input || !list) return;
    picker.classList.add("is-enhanced");
    input.addEventListener("change", function () { show(picker, input, list); });
    show(picker, input, list);  // a photo the browser kept on going back
  });
})();
