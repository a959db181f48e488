// Buttons marked data-print open the browser's print dialogue (the invoice has a print stylesheet).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
