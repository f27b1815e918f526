// "You're about to be signed out": shows the hidden #session-warning banner (templates/accounts/
// session_warning.html) `data-warning-seconds` before `data-ends-at` (epoch seconds), counts down,
// and at the end goes to the "You've been signed out" page. Everything it offers also works without
// it: the "Your session" page has "Stay signed in", and the server signs the session out anyway.
(function () {
  "use strict";
  var banner = document.getElementById("session-warning");
  if (!banner) return;
  var endsAt = Number(banner.getAttribute("data-ends-at")) * 1000;
  var warningMs = Number(banner.getAttribute("data-warning-seconds")) * 1000;
  var countdown = document.getElementById("session-warning-countdown");
  var shown = false;
  var lastSpoken = "";
  var idleMs = endsAt - Date.now();
  var stay = document.getElementById("session-warning-stay");
  if (stay) {
    // Any request restarts the idle clock: ask for the session page in the background, so
    // nothing typed on this page is lost, then start counting again.
    stay.addEventListener("click", function (event) {
      event.preventDefault();
      window.fetch(stay.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok || response.redirected) {
          window.location.assign(stay.href);
          return;
        }
        endsAt = Date.now() + idleMs;
        banner.hidden = true;
        shown = false;
      });
    });
  }

  function describe(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds > 60) {
      var minutes = Math.ceil(seconds / 60);
      return minutes + " minutes";
    }
    // Said in steps of 15 seconds, so a screen reader is not interrupted every second.
    var step = seconds <= 15 ? seconds : Math.ceil(seconds / 15) * 15;
    return step + (step === 1 ? " second" : " seconds");
  }

  function tick() {
    var left = endsAt - Date.now();
    if (left <= 0) {
      window.location.assign(banner.getAttribute("data-signed-out-url"));
      return;
    }
    if (left <= warningMs) {
      if (!shown) {
        banner.hidden = false;
        banner.focus();
        shown = true;
      }
      var text = describe(left);
      if (text !== lastSpoken) {
        countdown.textContent = text;
        lastSpoken = text;
      }
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
