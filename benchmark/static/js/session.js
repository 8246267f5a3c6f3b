// Idle-timeout warning and CSRF token refresh (progressive enhancement; CSP allows no inline
// script). base.html puts the seconds left on <body data-session-expires-in>; some minutes
// before the deadline a dialog offers to stay logged in (POST /session/refresh, which also
// hands out a fresh CSRF token). Once the session has ended, typed data stays on the page:
// posting forms is held back until the person has logged in again in another tab.
//
// Other scripts (autosave) use window.BenchmarkSession.csrfToken() for their X-CSRFToken
// header and may listen to "benchmark:csrf-token" and "benchmark:session-expired" events.
(function () {
  "use strict";
  var body = document.body;
  var secondsLeft = parseInt(body.getAttribute("data-session-expires-in"), 10);
  var dialog = document.getElementById("session-dialog");
  if (isNaN(secondsLeft) || !dialog) { return; }
  var warnBefore = parseInt(body.getAttribute("data-session-warn-before"), 10) || 300;
  var refreshUrl = body.getAttribute("data-session-refresh-url");
  var statusUrl = body.getAttribute("data-session-status-url");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var warning = dialog.querySelector('[data-session-state="warning"]');
  var expiredPanel = dialog.querySelector('[data-session-state="expired"]');
  var countdown = dialog.querySelector("[data-session-countdown]");
  var stillOut = dialog.querySelector("[data-session-still-out]");
  var deadline = 0;
  var timers = [];
  var ticker = null;
  var expired = false;

  function csrfToken() { return meta ? meta.getAttribute("content") : ""; }

  function setToken(token) {
    if (!token) { return; }
    if (meta) { meta.setAttribute("content", token); }
    var inputs = document.querySelectorAll('input[name="csrf_token"]');
    for (var i = 0; i < inputs.length; i++) { inputs[i].value = token; }
    document.dispatchEvent(new CustomEvent("benchmark:csrf-token", { detail: { token: token } }));
  }

  function open(state) {
    warning.hidden = state !== "warning";
    expiredPanel.hidden = state !== "expired";
    if (!dialog.open) {
      if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    }
    var first = dialog.querySelector('[data-session-state="' + state + '"] button, [data-session-state="' + state + '"] a');
    if (first) { first.focus(); }
  }

  function close() {
    if (ticker) { clearInterval(ticker); ticker = null; }
    if (dialog.open) {
      if (typeof dialog.close === "function") { dialog.close(); } else { dialog.removeAttribute("open"); }
    }
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    countdown.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  function schedule(seconds) {
    timers.forEach(clearTimeout);
    timers = [setTimeout(checkThen(showWarning), Math.max(0, seconds - warnBefore) * 1000)];
    setDeadline(seconds);
  }

  var expiryTimer = null;
  function setDeadline(seconds) {
    deadline = Date.now() + seconds * 1000;
    if (expiryTimer) { clearTimeout(expiryTimer); }
    expiryTimer = setTimeout(checkThen(showExpired), seconds * 1000);
  }

  // Activity in another tab or an autosave may have extended the session on the server:
  // ask first (GET /session/status does not count as activity), and only then warn.
  function checkThen(fallback) {
    return function () {
      status().then(function (data) {
        if (!data.authenticated || data.expires_in <= 0) { showExpired(); return; }
        if (data.expires_in > warnBefore + 5) { close(); schedule(data.expires_in); return; }
        setDeadline(data.expires_in);
        showWarning();
      }, fallback);
    };
  }

  function showWarning() {
    if (expired) { return; }
    open("warning");
    tick();
    if (!ticker) { ticker = setInterval(tick, 1000); }
  }

  function showExpired() {
    if (ticker) { clearInterval(ticker); ticker = null; }
    expired = true;
    if (stillOut) { stillOut.hidden = true; }
    open("expired");
    document.dispatchEvent(new CustomEvent("benchmark:session-expired"));
  }

  function request(url, method) {
    var headers = { "Accept": "application/json" };
    if (method === "POST") { headers["X-CSRFToken"] = csrfToken(); }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function status() {
    return request(statusUrl, "GET").then(function (data) {
      setToken(data.csrf_token);
      return data;
    });
  }

  function refresh() {
    return request(refreshUrl, "POST").then(function (data) {
      setToken(data.csrf_token);
      expired = false;
      close();
      schedule(data.expires_in);
      return data;
    }, function () { showExpired(); });
  }

  function resume() {
    status().then(function (data) {
      if (data.authenticated) {
        expired = false;
        close();
        schedule(data.expires_in);
      } else if (stillOut) {
        stillOut.hidden = false;
      }
    });
  }

  dialog.addEventListener("click", function (event) {
    var action = event.target.closest ? event.target.closest("[data-session-action]") : null;
    if (!action) { return; }
    var name = action.getAttribute("data-session-action");
    if (name === "stay") { refresh(); }
    if (name === "close") { close(); }
    if (name === "resume") { resume(); }
  });

  // After the session has ended, posting a form would lose what was typed: hold it back.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (expired && form.method && form.method.toLowerCase() === "post") {
      event.preventDefault();
      open("expired");
    }
  }, true);

  window.BenchmarkSession = {
    csrfToken: csrfToken,
    refresh: refresh,
    isExpired: function () { return expired; }
  };

  schedule(secondsLeft);
})();
