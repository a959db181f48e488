/* Progressive enhancements only: every page works without this file.
   - Catalogue filters: a <details> that is closed on phones, kept open on wide screens.
   - Product gallery: thumbnails show their picture in place instead of opening it. */
(function () {
  "use strict";

  function initFilters() {
    var filters = document.querySelector("[data-filters]");
    if (!filters || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 60em)");
    function sync() {
      if (wide.matches) filters.open = true;
    }
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }

  function initGallery() {
    var gallery = document.querySelector("[data-gallery]");
    if (!gallery) return;
    var main = gallery.querySelector("[data-gallery-main]");
    if (!main) return;
    gallery.addEventListener("click", function (event) {
      var link = event.target.closest("[data-gallery-thumb]");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      main.src = link.href;
      main.alt = link.getAttribute("data-alt") || "";
      gallery.querySelectorAll("[data-gallery-thumb]").forEach(function (other) {
        other.removeAttribute("aria-current");
      });
      link.setAttribute("aria-current", "true");
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    initFilters();
    initGallery();
  });
})();
