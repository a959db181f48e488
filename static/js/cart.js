/* Add-to-cart forms on product cards. The cards are cached for every visitor, so their forms
   carry no CSRF token and, without JavaScript, simply open the product page. Here they become
   POSTs to the cart with this visitor's token (from <meta name="csrf-token">), coming back to the
   page they were sent from. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta) return;
  document.querySelectorAll("form[data-add-to-cart]").forEach(function (form) {
    form.method = "post";
    form.action = form.getAttribute("data-add-to-cart");
    form.querySelector('input[name="product_id"]').disabled = false;
    var add = function (name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    };
    add("csrf_token", meta.getAttribute("content"));
    add("next", window.location.pathname + window.location.search);
  });
})();
