// Dashboard behaviour that a Content-Security-Policy without inline scripts allows.
(function () {
  "use strict";
  document.querySelectorAll("form.confirm").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); }
    });
  });
})();
