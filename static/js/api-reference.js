// Renders the API reference page from the app's own OpenAPI document with the vendored Redoc.
(function () {
  var element = document.getElementById("reference");
  if (element && window.Redoc) {
    window.Redoc.init(element.getAttribute("data-spec-url"), { hideDownloadButton: false }, element);
  }
})();
