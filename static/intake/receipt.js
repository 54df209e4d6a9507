// The receipt's print button (inline handlers are avoided so a strict CSP can be turned on later).
(function () {
  "use strict";
  var button = document.getElementById("print-receipt");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
