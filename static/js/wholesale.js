/* Quick-order pad: checks each row (code and quantity) as the buyer types, through
   /wholesale/order/check, and writes the product, price or problem next to it. The form works
   without this script: the server checks every row on submit. */
(function () {
  "use strict";
  var pad = document.querySelector("form.pad[data-check-url]");
  if (!pad) return;
  var url = pad.getAttribute("data-check-url");

  function show(status, text, ok) {
    status.textContent = "";
    var span = document.createElement("span");
    span.className = ok ? "result-ok" : "bulk-problem";
    span.textContent = text;
    status.appendChild(span);
  }

  function check(row) {
    var code = row.querySelector("input[name^='code-']").value.trim();
    var quantity = row.querySelector("input[name^='quantity-']").value.trim();
    var status = row.querySelector(".pad__status");
    if (!code) { status.textContent = ""; return; }
    var query = "?code=" + encodeURIComponent(code) + "&quantity=" + encodeURIComponent(quantity);
    var token = (row.dataset.seq = String(Number(row.dataset.seq || 0) + 1));
    fetch(url + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (row.dataset.seq !== token) return; // a later keystroke has asked again
        var name = body.product ? body.product.name + " — " : "";
        if (body.ok) {
          show(status, name + (body.summary || ""), true);
        } else {
          show(status, name + body.problems.join(" "), false);
        }
      })
      .catch(function () { status.textContent = ""; });
  }

  var timers = new WeakMap();
  pad.addEventListener("input", function (event) {
    var row = event.target.closest(".pad__row");
    if (!row) return;
    clearTimeout(timers.get(row));
    timers.set(row, setTimeout(function () { check(row); }, 300));
  });
})();
