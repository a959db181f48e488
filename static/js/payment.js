/* The card payment page: loads stripe.js, mounts Stripe's card element and confirms the payment.
   Everything comes from data-attributes of the form (no inline script: the CSP forbids it).
   The order is paid only when Stripe's webhook reaches the server: after confirming, the page
   asks the server (data-status-url) until it says so.
   With real Stripe the browser confirms (stripe.confirmCardPayment). With the local stand-in
   (data-confirm-url set), whose stripe.js cannot confirm a fresh PaymentIntent, the card is
   tokenised in the browser and the server confirms it. */
(function () {
  "use strict";

  var form = document.querySelector("[data-payment]");
  if (!form) return;
  var data = form.dataset;
  var status = document.querySelector("[data-payment-status]");
  var button = form.querySelector("button[type=submit]");

  function say(text, kind) {
    status.textContent = text;
    status.className = "payment-status" + (kind ? " notice notice--" + kind : "");
  }

  function pollUntilPaid(attempt) {
    fetch(data.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body.paid) {
          say(data.msgPaid, "success");
          form.hidden = true;
          return;
        }
        if (attempt < 90) setTimeout(function () { pollUntilPaid(attempt + 1); }, 1000);
      })
      .catch(function () {
        if (attempt < 90) setTimeout(function () { pollUntilPaid(attempt + 1); }, 2000);
      });
  }

  function failed(message) {
    say(data.msgFailed + " " + (message || ""), "error");
    button.disabled = false;
  }

  function start() {
    if (typeof window.Stripe !== "function") {
      say(data.msgUnavailable, "error");
      return;
    }
    var stripe = window.Stripe(data.publishableKey);
    var card = stripe.elements().create("card");
    card.mount("#card-element");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      say(data.msgPaying);
      var done = function (result) {
        if (result && result.error) {
          failed(result.error.message);
        } else {
          say(data.msgWaiting);
          pollUntilPaid(0);
        }
      };
      if (data.confirmUrl) {
        stripe.createToken(card).then(function (result) {
          if (result.error) return failed(result.error.message);
          return fetch(data.confirmUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrfToken },
            body: JSON.stringify({ payment_method: result.token.card.id })
          }).then(function (r) { return r.json(); }).then(done);
        }).catch(function () { failed(""); });
      } else {
        stripe.confirmCardPayment(data.clientSecret, { payment_method: { card: card } })
          .then(done)
          .catch(function () { failed(""); });
      }
    });
  }

  var script = document.createElement("script");
  script.src = data.stripeJs;
  script.onload = start;
  script.onerror = function () { say(data.msgUnavailable, "error"); };
  document.head.appendChild(script);
})();
