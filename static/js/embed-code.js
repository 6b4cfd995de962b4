// "Copy embed code": copies the iframe code from its textarea; says so in a live region.
(function () {
  "use strict";
  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) return;
    var done = function () { if (status) status.textContent = "Copied."; };
    var fallback = function () {
      // Without the Clipboard API (or its permission): select the code for Ctrl+C.
      field.focus();
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      if (status) status.textContent = copied ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy-embed");
    if (button) copy(button);
  });
})();
