// Payment form: card fields only for a card payment (they stay visible when scripts are off).
(function () {
  "use strict";
  var method = document.getElementById("pay-method");
  var card = document.getElementById("card-fields");
  if (!method || !card) { return; }
  function sync() { card.hidden = method.value !== "card"; }
  method.addEventListener("change", sync);
  sync();
})();
