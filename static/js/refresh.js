// Reloads the page every few seconds while it says something is still happening (an element with
// data-refresh-seconds), so the board secretary sees a pack go from queued to published. Without
// JavaScript the page offers a "Check again" link instead. A file, not an inline script, for the CSP.
(function () {
  var marker = document.querySelector("[data-refresh-seconds]");
  if (!marker) {
    return;
  }
  var seconds = parseInt(marker.getAttribute("data-refresh-seconds"), 10) || 3;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
