/**
 * The built-in pages' script, served by the router as a content-hashed asset (no inline script:
 * the CSP has `script-src 'self'`). Progressive enhancement only: every form works without it.
 * It reads its settings from data attributes, so nothing is interpolated into it, and it writes
 * text only through `textContent`.
 *
 * - `#ms-poll` (a pending step, or an answer step with `pollAfterMs`): POSTs `{ tx }` as JSON to
 *   the poll route (CSRF token in the body field and the `X-CSRF-Token` header) every
 *   `pollAfterMs`. Logged in → `redirect`; the step changed (kind or sequence) → the step page;
 *   the login is over → its message and "Start again"; the session store briefly down (503
 *   `SESSION_STORE_UNAVAILABLE` without `details.restart`) → ask again after `Retry-After`.
 *   While waiting for an approval it shows the time waited and, after a while, a "still waiting" state. Quiet mode (`data-quiet`, an
 *   answer step that may also complete by itself) shows nothing while it polls.
 * - `form[data-ms-resend]`: posted with fetch; refused as too soon (`details.retryAfterSeconds`
 *   or `Retry-After`) → the message, and the button disabled with a countdown.
 */
export const pageScript = `/* passport-multistep built-in pages */
(function () {
  'use strict';
  var main = document.querySelector('main');
  var alertBox = document.getElementById('ms-alert');
  if (!main || !alertBox || !window.fetch || !window.JSON) return;
  var text = {};
  try { text = JSON.parse(main.getAttribute('data-ms-strings') || '{}'); } catch (e) { text = {}; }
  var errors = text.errors || {};
  function fill(template, values) {
    return String(template || '').replace(/\\{([A-Za-z][\\w-]*)\\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  var scriptAlert = false;
  function showAlert(error, startUrl) {
    var code = (error && error.code) || 'ERROR';
    alertBox.textContent = (errors[code] || (error && error.message) || text.unknown || '') + ' ';
    alertBox.setAttribute('data-code', code);
    if (startUrl) {
      var link = document.createElement('a');
      link.href = startUrl;
      link.textContent = text.startAgain || 'Start again';
      alertBox.appendChild(link);
    }
    alertBox.hidden = false;
    scriptAlert = true;
  }
  function hideAlert() {
    if (!scriptAlert) return;
    alertBox.hidden = true;
    alertBox.textContent = '';
    alertBox.removeAttribute('data-code');
    scriptAlert = false;
  }
  // The login is over (denied, timed out, expired): say why, link to the start page, and hide the
  // forms of the login that ended.
  function loginOver(error, startUrl) {
    showAlert(error, startUrl);
    Array.prototype.forEach.call(main.querySelectorAll('form'), function (f) { f.hidden = true; });
  }
  function post(url, headers, body) {
    headers.Accept = 'application/json';
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: headers, body: body }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) { return { res: res, body: json || {} }; });
    });
  }

  var box = document.getElementById('ms-poll');
  if (box) {
    var d = box.dataset;
    var quiet = d.quiet === 'true';
    var sequence = Number(d.sequence);
    var status = document.getElementById('ms-status');
    var progress = document.getElementById('ms-progress');
    var stillHint = document.getElementById('ms-still');
    var csrf = d.csrf;
    var started = Date.now();
    var checks = 0;
    var failures = 0;
    var ticker = 0;
    var stopped = false;
    var tick = function () {
      if (!progress) return;
      var seconds = Math.floor((Date.now() - started) / 1000);
      var time = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
      var template = checks === 0 ? text.progress : checks === 1 ? text.progressOne : text.progressOther;
      progress.textContent = fill(template, { time: time, count: checks });
      progress.hidden = false;
      if (Date.now() - started >= Number(d.stillAfter || 15000) && !box.classList.contains('ms-still')) {
        box.classList.add('ms-still');
        if (status && d.still) status.textContent = d.still;
        if (stillHint) stillHint.hidden = false;
      }
    };
    if (progress && !quiet) { tick(); ticker = setInterval(tick, 1000); }
    var over = function (error) {
      stopped = true;
      clearInterval(ticker);
      var spinner = box.querySelector('.ms-spinner');
      if (spinner) spinner.remove();
      if (status) status.textContent = '';
      if (progress) progress.hidden = true;
      if (stillHint) stillHint.hidden = true;
      loginOver(error, d.start);
    };
    var go = function (url) { stopped = true; clearInterval(ticker); window.location.assign(url); };
    var schedule = function (ms) { if (!stopped) setTimeout(poll, Math.max(500, Number(ms) || 2000)); };
    var poll = function () {
      if (stopped) return;
      var payload = { tx: d.tx };
      payload[d.csrfField || '_csrf'] = csrf;
      post(d.poll, { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, JSON.stringify(payload)).then(function (r) {
        if (stopped) return;
        var body = r.body;
        var step = body.step;
        if (body.csrfToken) csrf = body.csrfToken;
        checks += 1;
        failures = 0;
        if (body.redirect && (!step || step.kind === 'done')) { go(body.redirect); return; }
        // The login moved on (approved, a code typed in another tab, the next challenge): show it.
        if (step && (step.kind !== d.kind || step.sequence !== sequence)) { go(d.step); return; }
        if (body.error || !r.res.ok) {
          var error = body.error || { code: 'HTTP_' + r.res.status };
          // The session store is down for a moment: the login is kept, ask again when it says.
          if (!step && error.code === 'SESSION_STORE_UNAVAILABLE' && !(error.details && error.details.restart)) {
            if (!quiet) showAlert(error);
            schedule(Math.max(2000, 1000 * ((error.details && error.details.retryAfterSeconds) || Number(r.res.headers.get('Retry-After')) || 5)));
            return;
          }
          if (!step) { over(error); return; }
          // Busy or briefly unavailable: the login goes on, ask again later (saying so unless quiet).
          if (!quiet && r.res.status !== 409 && r.res.status !== 429) showAlert(error);
          schedule(Math.max(step.pollAfterMs || 2000, 5000));
          return;
        }
        if (!step) { go(d.step); return; }
        hideAlert();
        tick();
        schedule(step.pollAfterMs || d.interval);
      }).catch(function () {
        failures += 1;
        if (!quiet) showAlert({ code: 'NETWORK_ERROR', message: text.network });
        schedule(Math.min(30000, 2000 * Math.pow(2, failures)));
      });
    };
    // Once the user submits a form (a code, "try another way", cancel), the page is leaving: stop asking.
    main.addEventListener('submit', function () { stopped = true; });
    schedule(d.interval);
  }

  var form = document.querySelector('form[data-ms-resend]');
  if (form && window.FormData && window.URLSearchParams) {
    var button = form.querySelector('button');
    var wait = document.getElementById('ms-resend-wait');
    var countdown = 0;
    var coolDown = function (seconds) {
      var until = Date.now() + seconds * 1000;
      // aria-disabled rather than disabled: a focused button keeps the focus.
      button.setAttribute('aria-disabled', 'true');
      clearInterval(countdown);
      var update = function () {
        var left = Math.ceil((until - Date.now()) / 1000);
        if (left > 0) {
          wait.textContent = fill(left === 1 ? text.resendOne : text.resendOther, { seconds: left });
          wait.hidden = false;
          return;
        }
        clearInterval(countdown);
        button.removeAttribute('aria-disabled');
        wait.hidden = true;
        wait.textContent = '';
        if (alertBox.getAttribute('data-code') === 'RATE_LIMITED') hideAlert();
      };
      update();
      countdown = setInterval(update, 1000);
    };
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      event.stopPropagation();
      if (button.getAttribute('aria-disabled') === 'true') return;
      var field = form.querySelector('[name=sequence]');
      var current = field ? Number(field.value) : NaN;
      post(form.action, { 'Content-Type': 'application/x-www-form-urlencoded' }, new URLSearchParams(new FormData(form)).toString()).then(function (r) {
        var error = r.body.error;
        var step = r.body.step;
        if (error && !step) { loginOver(error, form.dataset.start); return; }
        // Sent (the step page says so), or the login has moved on: show the current step.
        if (!error || !step || step.sequence !== current) { window.location.assign(form.dataset.step); return; }
        showAlert(error);
        var seconds = (error.details && error.details.retryAfterSeconds) || Number(r.res.headers.get('Retry-After')) || 0;
        if (seconds > 0) coolDown(seconds);
      }).catch(function () { form.submit(); });
    });
  }
})();
`;
