/* CSRF tokens for forms that carry none.
   - Add-to-cart forms on product cards: the cards are cached for every visitor, so their forms
     carry no token and, without JavaScript, simply open the product page. Here they become POSTs
     to the cart, coming back to the page they were sent from.
   - Pages shared by every visitor without a session (served whole from the page cache) carry no
     token at all: <meta name="csrf-token-url"> says where to ask for this visitor's token, which
     is done only when a form is sent, so that browsing writes no session.
   A POST form sent without a csrf_token field gets the token (from <meta name="csrf-token">, or
   asked for), and the button that sent it, before it goes. Without JavaScript, such a form
   reaches the server without a token and the answer offers to send it again. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var tokenUrl = document.querySelector('meta[name="csrf-token-url"]');
  if (!meta && !tokenUrl) return;

  function add(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function withToken(callback) {
    if (meta) return callback(meta.getAttribute("content"));
    fetch(tokenUrl.getAttribute("content"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (data) { callback(data.csrf_token || ""); })
      .catch(function () { callback(""); });
  }

  document.querySelectorAll("form[data-add-to-cart]").forEach(function (form) {
    form.method = "post";
    form.action = form.getAttribute("data-add-to-cart");
    form.querySelector('input[name="product_id"]').disabled = false;
    add(form, "next", window.location.pathname + window.location.search);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post" || form.elements.namedItem("csrf_token")) return;
    event.preventDefault();
    var submitter = event.submitter;
    withToken(function (token) {
      if (token) add(form, "csrf_token", token);
      if (submitter && submitter.name) add(form, submitter.name, submitter.value);
      form.submit();
    });
  });
})();
