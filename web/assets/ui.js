// Small page behaviours, none of them needed to read a page: fold the filters
// on a phone, bring an event's evidence into view in the report text, and offer
// a print button on the situation report.
(function () {
  'use strict';
  var narrow = window.matchMedia('(max-width: 900px)').matches;
  var box = document.getElementById('filter-box');
  if (box && narrow && !box.querySelector('.count')) box.open = false;

  var mark = document.querySelector('.report-text mark.current');
  var pane = mark && mark.closest('.report-text');
  if (mark && pane && !narrow && pane.scrollHeight > pane.clientHeight) {
    pane.scrollTop = Math.max(0, mark.offsetTop - pane.clientHeight / 3);
  }

  var print = document.querySelector('button[data-print]');
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
