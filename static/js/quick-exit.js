/* Quick exit (DESIGN §4.8), after GOV.UK's "Exit this page".
 *
 * The only script on the site, and only an enhancement: without it the button is still a link
 * (or, with a session, a form that ends it). With it, the button and Shift pressed three times
 * within a few seconds first ask the server to end the session — a beacon, which survives the
 * page going away — and then replace this page in the history with a neutral site, so the back
 * button does not return here.
 */
(function () {
  "use strict";

  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 5000;

  document.documentElement.classList.add("js");

  function exitNow(control) {
    var exitUrl = control.getAttribute("data-exit-url");
    var form = control.querySelector("form");
    if (form && navigator.sendBeacon) {
      var body = new URLSearchParams(new FormData(form));
      body.set("beacon", "1");
      navigator.sendBeacon(form.action, body);
    }
    document.body.classList.add("quick-exit--leaving");
    window.location.replace(exitUrl);
  }

  function setUp() {
    var control = document.querySelector("[data-quick-exit]");
    if (!control) {
      return;
    }
    var button = control.querySelector(".quick-exit__button");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      exitNow(control);
    });

    var presses = [];
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") {
        presses = [];
        return;
      }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < SHIFT_WINDOW_MS; });
      presses.push(now);
      if (presses.length >= SHIFT_PRESSES) {
        presses = [];
        exitNow(control);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
