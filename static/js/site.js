/* Progressive enhancements only: every page works without this file.
   - Catalogue filters: a <details> that is closed on phones, kept open on wide screens.
   - Product gallery: thumbnails show their picture in place instead of opening it.
   - Header search: suggestions as you type (WAI-ARIA combobox with a listbox popup). */
(function () {
  "use strict";

  // Phones: the header folds its menus (account, language, main navigation) behind one button,
  // so that it takes under 120 px; the button opens and closes them.
  function initMenu() {
    var header = document.querySelector("[data-site-header]");
    var toggle = header && header.querySelector("[data-menu-toggle]");
    if (!toggle) return;
    header.classList.add("site-header--collapsible");
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("site-header--open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

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

  /* The header search box suggests products from GET /search/suggest?q= once two characters are
     typed. The input becomes a combobox; focus stays on it while ArrowUp/ArrowDown move the
     active option (aria-activedescendant). Enter on an option opens its product, Escape closes
     the list, and with no option active the form submits as it does without this script. */
  function initSearchSuggest() {
    var input = document.getElementById("site-search");
    var endpoint = input && input.getAttribute("data-suggest-url");
    if (!endpoint || !input.form || !window.fetch || !window.AbortController) return;
    var form = input.form;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    form.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var controller = null;
    var shownFor = null; // the query whose suggestions are in the list
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function setActive(index) {
      var all = options();
      if (active >= 0 && all[active]) all[active].setAttribute("aria-selected", "false");
      active = index;
      if (index >= 0 && all[index]) {
        all[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options().length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function isOpen() {
      return !list.hidden;
    }

    /* The view sends `html`: the name escaped, with the typed words in <mark>. Only its text and
       <mark> elements are copied, so nothing else from it ever reaches the page. */
    function fillLabel(option, suggestion) {
      var html = suggestion.html;
      if (!html || !window.DOMParser) {
        option.textContent = suggestion.name;
        return;
      }
      var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
      parsed.childNodes.forEach(function (node) {
        if (node.nodeName === "MARK") {
          var mark = document.createElement("mark");
          mark.textContent = node.textContent;
          option.appendChild(mark);
        } else {
          option.appendChild(document.createTextNode(node.textContent));
        }
      });
    }

    function render(query, suggestions) {
      shownFor = query;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.textContent = "";
      suggestions.forEach(function (suggestion, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.className = "suggest__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-name", suggestion.name || "");
        if (suggestion.url) option.setAttribute("data-url", suggestion.url);
        fillLabel(option, suggestion);
        list.appendChild(option);
      });
      if (suggestions.length && document.activeElement === input) open();
      else close();
    }

    function fetchSuggestions(query) {
      if (controller) controller.abort();
      controller = new AbortController();
      var url = new URL(endpoint, window.location.href);
      url.searchParams.set("q", query);
      fetch(url.href, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && input.value === query) render(query, data.suggestions || []);
        })
        .catch(function () {
          /* aborted by a newer keystroke, or offline: the plain search still works */
        });
    }

    function choose(option) {
      var url = option.getAttribute("data-url");
      close();
      if (url) {
        window.location.assign(url);
      } else {
        input.value = option.getAttribute("data-name");
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value;
      if (query.trim().length < 2) {
        if (controller) controller.abort();
        shownFor = null;
        close();
        return;
      }
      timer = setTimeout(function () {
        fetchSuggestions(query);
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var count = options().length;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          if (!isOpen()) {
            if (count && shownFor === input.value) open();
            else if (input.value.trim().length >= 2) fetchSuggestions(input.value);
            else return;
          } else if (event.key === "ArrowDown") {
            setActive(active + 1 < count ? active + 1 : 0);
          } else {
            setActive(active > 0 ? active - 1 : count - 1);
          }
          event.preventDefault();
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            choose(options()[active]);
          }
          break;
        case "Escape":
          clearTimeout(timer); // nor should a request still on its way reopen it
          if (controller) controller.abort();
          if (isOpen()) {
            event.preventDefault(); // a search input would otherwise clear itself
            close();
          }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", close);
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      if (controller) controller.abort();
      close();
    });
    // Keep focus in the input while the pointer is on the list, so a click can land.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    initMenu();
    initFilters();
    initGallery();
    initSearchSuggest();
  });
})();
