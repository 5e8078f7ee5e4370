(function () {
  "use strict";
  var input = document.getElementById("filter");
  var books = Array.prototype.slice.call(document.querySelectorAll(".book"));
  var count = document.getElementById("count");
  var none = document.getElementById("none");
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLowerCase();
  }
  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    books.forEach(function (book) {
      var text = fold(book.getAttribute("data-search"));
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      book.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = shown + (shown === books.length ? "" : " of " + books.length) +
      " publication" + (books.length === 1 ? "" : "s");
    none.hidden = shown !== 0;
  }
  input.addEventListener("input", apply);
  if (input.value) { apply(); }
}());
