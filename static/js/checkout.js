/* Checkout: the shipping fees and the total follow the delivery province as soon as it changes,
   from GET /checkout/shipping?province= (the same figures the server charges). The hidden
   shown_total_vnd field follows the total on screen, so the order is refused (and the page shows
   the new total) if it would cost anything else. Without this script the "Calculate shipping"
   button does the same through the server. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-shipping-url]");
  if (!form || !window.fetch) return;
  var province = form.querySelector('select[name="province"]');
  var shown = form.querySelector("[data-shown-total]");
  var total = form.querySelector("[data-checkout-total]");
  var hint = form.querySelector("[data-shipping-hint]");
  if (!province || !shown || !total) return;
  var controller = null;

  function show(data) {
    data.groups.forEach(function (group) {
      var fee = form.querySelector('[data-shipping-fee="' + group.producer_id + '"]');
      if (fee) fee.textContent = group.shipping_fee === null ? fee.getAttribute("data-none") : group.shipping_fee;
    });
    total.textContent = data.total;
    shown.value = String(data.total_vnd);
    if (hint) hint.hidden = data.province !== null;
  }

  province.addEventListener("change", function () {
    if (controller && window.AbortController) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var url = new URL(form.getAttribute("data-shipping-url"), window.location.href);
    url.searchParams.set("province", province.value);
    form.setAttribute("aria-busy", "true");
    fetch(url.href, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) show(data);
      })
      .catch(function () {
        /* aborted by a newer choice, or offline: "Calculate shipping" still works */
      })
      .then(function () {
        form.removeAttribute("aria-busy");
      });
  });
})();
