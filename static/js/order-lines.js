// Order page: show the sale unit of the typed SKU next to the quantity (quantities are in
// sale units). The units and the label come from the page's #line-units JSON block.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("line-units").textContent);
  var input = document.getElementById("line-sku");
  var out = document.getElementById("line-unit");
  if (!input || !out) { return; }
  function update() {
    var unit = data.units[(input.value || "").trim().toUpperCase()];
    out.textContent = unit ? data.prefix + " " + unit : "";
  }
  input.addEventListener("input", update);
  update();
})();
