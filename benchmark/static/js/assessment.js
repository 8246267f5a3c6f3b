// The questionnaire form, enhanced: autosave through the API with If-Match, a queue in
// localStorage that survives reloads and network cuts, conflict resolution, live skip logic.
// Without this file the form still works: a plain POST of the whole page.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var dataElement = document.getElementById("assessment-data");
  var data = dataElement ? JSON.parse(dataElement.textContent) : {};
  data.selected = data.selected || {};
  data.rules = data.rules || {};
  data.labels = data.labels || {};
  var T = data.text || {};
  var P = data.progress_text || {};
  var editable = form.getAttribute("data-editable") === "true";
  var assessmentId = form.getAttribute("data-assessment");
  var apiTemplate = form.getAttribute("data-api");
  var statusElement = document.getElementById("save-status");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var QUEUE_KEY = "city-benchmark:autosave:" + assessmentId;
  var DEBOUNCE_MS = 600;
  var RETRY_MS = 4000;

  var queue = loadQueue();   // question id → {body, base, seq, conflict, invalid, blocked}
  var inflight = {};
  var timers = {};
  var sequence = 0;
  var offline = false;

  // The server's format (Babel's "medium" date and time, in UTC), from the same CLDR data.
  var dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
  function when(iso) { return dateFormat.format(new Date(iso)); }
  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)[sd]/g, function (_m, key) {
      return values[key] === undefined || values[key] === null ? "" : String(values[key]);
    });
  }

  // -- the queue, kept in localStorage so that nothing typed is lost on reload --------------
  function loadQueue() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "{}") || {}; }
    catch (e) { return {}; }
  }
  function storeQueue() {
    try {
      if (Object.keys(queue).length) { window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(QUEUE_KEY); }
    } catch (e) { /* private mode or full storage: the page still saves while open */ }
  }

  // -- reading and writing one question's fields ---------------------------------------------
  function fieldsetOf(qid) { return document.getElementById("q-" + qid); }
  function questionFieldsets() { return Array.prototype.slice.call(form.querySelectorAll("fieldset.question[data-question]")); }
  function named(fieldset, name) {
    return fieldset.querySelectorAll('[name="' + fieldset.getAttribute("data-question") + ":" + name + '"]');
  }
  function kindOf(fieldset) {
    var widget = fieldset.querySelector("[data-value-kind]");
    return widget ? widget.getAttribute("data-value-kind") : "scalar";
  }
  function readValue(fieldset) {
    var inputs = named(fieldset, "value");
    var kind = kindOf(fieldset);
    var i;
    if (kind === "single") {
      for (i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return inputs[i].value; } }
      return null;
    }
    if (kind === "multi") {
      var chosen = [];
      for (i = 0; i < inputs.length; i++) { if (inputs[i].checked) { chosen.push(inputs[i].value); } }
      return chosen.length ? chosen : null;
    }
    var text = inputs.length ? inputs[0].value : "";
    return text.trim() === "" ? null : text;
  }
  function text(fieldset, name) {
    var inputs = named(fieldset, name);
    return inputs.length ? inputs[0].value : "";
  }
  function readBody(fieldset) {
    var na = fieldset.querySelector("[data-na]");
    var isNa = Boolean(na && na.checked);
    var year = text(fieldset, "evidence_year").trim();
    return {
      value: isNa ? null : readValue(fieldset),
      na: isNa,
      comment: text(fieldset, "comment"),
      evidence: text(fieldset, "evidence"),
      evidence_url: text(fieldset, "evidence_url").trim(),
      evidence_year: year === "" ? null : (/^\d{1,4}$/.test(year) ? parseInt(year, 10) : year)
    };
  }
  function writeBody(fieldset, body) {
    fieldset.removeAttribute("data-na-kept");  // these values replace whatever N/A put aside
    var kind = kindOf(fieldset);
    var inputs = named(fieldset, "value");
    var value = body.value;
    for (var i = 0; i < inputs.length; i++) {
      if (kind === "single") { inputs[i].checked = value === inputs[i].value; }
      else if (kind === "multi") { inputs[i].checked = Array.isArray(value) && value.indexOf(inputs[i].value) >= 0; }
      else { inputs[i].value = value === null || value === undefined ? "" : String(value); }
    }
    var na = fieldset.querySelector("[data-na]");
    if (na) { na.checked = Boolean(body.na); }
    ["comment", "evidence", "evidence_url"].forEach(function (name) {
      var el = named(fieldset, name)[0];
      if (el && body[name] !== undefined && body[name] !== null) { el.value = body[name]; }
    });
    var year = named(fieldset, "evidence_year")[0];
    if (year && body.evidence_year !== undefined) { year.value = body.evidence_year === null ? "" : String(body.evidence_year); }
  }
  function setRevision(fieldset, revision) {
    fieldset.setAttribute("data-revision", String(revision));
    var hidden = named(fieldset, "revision")[0];
    if (hidden) { hidden.value = String(revision); }
  }
  function shown(qid, answer) {
    if (!answer) { return T.no_answer || ""; }
    if (answer.na) { return T.na || "N/A"; }
    var value = answer.value;
    if (value === null || value === undefined) { return T.no_answer || ""; }
    var labels = data.labels[qid] || {};
    var list = Array.isArray(value) ? value : [value];
    return list.map(function (v) { return labels[v] || String(v); }).join("; ");
  }

  // -- status line -----------------------------------------------------------------------
  function setStatus(kind, reason) {
    if (!statusElement) { return; }
    var attribute = { saved: "data-saved", saving: "data-saving", offline: "data-offline", pending: "data-pending",
      error: "data-error", conflict: "data-conflict", loggedOut: "data-logged-out" }[kind];
    var message = format(statusElement.getAttribute(attribute), { reason: reason || "" });
    if (statusElement.textContent !== message) { statusElement.textContent = message; }
    statusElement.setAttribute("data-state", kind);
  }
  function refreshStatus() {
    var ids = Object.keys(queue);
    if (!ids.length) { setStatus("saved"); return; }
    for (var i = 0; i < ids.length; i++) { if (queue[ids[i]].conflict !== undefined && queue[ids[i]].conflict !== false) { setStatus("conflict"); return; } }
    for (i = 0; i < ids.length; i++) {
      var e = queue[ids[i]];
      if (e.blocked || e.invalid) { setStatus("error", e.blocked || firstMessage(e.invalid)); return; }
    }
    if (offline) { setStatus("offline"); return; }
    for (i = 0; i < ids.length; i++) { if (inflight[ids[i]]) { setStatus("saving"); return; } }
    setStatus("pending");
  }
  function firstMessage(fields) {
    var keys = Object.keys(fields || {});
    return keys.length ? fields[keys[0]] : "";
  }

  // -- inline errors of one question -----------------------------------------------------
  function showErrors(qid, fields) {
    var fieldset = fieldsetOf(qid);
    if (!fieldset) { return; }
    var old = fieldset.querySelectorAll("[data-js-error]");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
    fieldset.classList.toggle("field--error", Boolean(fields && Object.keys(fields).length));
    Object.keys(fields || {}).forEach(function (name) {
      var p = document.createElement("p");
      p.className = "error-message";
      p.setAttribute("data-js-error", "");
      p.id = "q-" + qid + "-" + name + "-js-error";
      p.textContent = fields[name];
      var target = name === "value" || name === "na" ? fieldset.querySelector("[data-value-kind]") : named(fieldset, name)[0];
      if (target && target.parentNode) { target.parentNode.insertBefore(p, target); }
      else { fieldset.insertBefore(p, fieldset.querySelector("[data-value-kind]")); }
    });
  }

  // -- conflicts: show the other person's answer and let the person choose ----------------
  function showConflict(qid) {
    var entry = queue[qid];
    var fieldset = fieldsetOf(qid);
    if (!entry || !fieldset) { return; }
    var current = entry.conflict;
    var panel = fieldset.querySelector("[data-conflict-panel]");
    panel.textContent = "";
    var title = document.createElement("h3");
    title.textContent = T.conflict_title || "";
    var theirs = document.createElement("p");
    theirs.textContent = format(T.their_value, {
      who: current && current.updated_by ? current.updated_by : T.someone,
      value: shown(qid, current),
      when: current && current.updated_at ? new Date(current.updated_at).toLocaleString() : ""
    });
    var yours = document.createElement("p");
    yours.textContent = format(T.yours, { value: shown(qid, entry.body) });
    var keep = document.createElement("button");
    keep.type = "button";
    keep.textContent = T.keep_mine || "Keep mine";
    keep.setAttribute("data-keep-mine", "");
    var take = document.createElement("button");
    take.type = "button";
    take.className = "secondary";
    take.textContent = T.take_theirs || "Take theirs";
    take.setAttribute("data-take-theirs", "");
    keep.addEventListener("click", function () {
      entry.base = current ? current.revision : 0;
      delete entry.conflict;
      storeQueue();
      panel.hidden = true;
      send(qid);
    });
    take.addEventListener("click", function () {
      writeBody(fieldset, current || { value: null, na: false });
      syncNa(fieldset);
      setRevision(fieldset, current ? current.revision : 0);
      delete queue[qid];
      storeQueue();
      panel.hidden = true;
      applySkipLogic();
      refreshStatus();
    });
    panel.appendChild(title);
    panel.appendChild(theirs);
    panel.appendChild(yours);
    panel.appendChild(keep);
    panel.appendChild(document.createTextNode(" "));
    panel.appendChild(take);
    panel.hidden = false;
  }

  // -- saving ----------------------------------------------------------------------------
  function schedule(qid) {
    window.clearTimeout(timers[qid]);
    timers[qid] = window.setTimeout(function () { send(qid); }, DEBOUNCE_MS);
  }
  function enqueue(fieldset) {
    var qid = fieldset.getAttribute("data-question");
    var entry = queue[qid];
    if (!entry) {
      entry = queue[qid] = { base: parseInt(fieldset.getAttribute("data-revision"), 10) || 0 };
    }
    entry.body = readBody(fieldset);
    entry.seq = ++sequence;
    delete entry.invalid;
    delete entry.blocked;
    storeQueue();
    refreshStatus();
    schedule(qid);
  }
  function send(qid) {
    var entry = queue[qid];
    if (!entry || inflight[qid] || entry.invalid || entry.blocked || entry.conflict !== undefined) { return; }
    var sent = entry.seq;
    var headers = { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf };
    if (entry.base > 0) { headers["If-Match"] = '"' + entry.base + '"'; } else { headers["If-None-Match"] = "*"; }
    inflight[qid] = true;
    refreshStatus();
    window.fetch(apiTemplate.replace("__qid__", encodeURIComponent(qid)), {
      method: "PUT", headers: headers, body: JSON.stringify(entry.body), credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, json: json };
      });
    }).then(function (result) {
      inflight[qid] = false;
      offline = false;
      handle(qid, sent, result);
    }, function () {
      inflight[qid] = false;
      offline = true;
      refreshStatus();
    });
  }
  function handle(qid, sent, result) {
    var entry = queue[qid];
    var fieldset = fieldsetOf(qid);
    var error = (result.json && result.json.error) || {};
    if (result.status === 200) {
      var answer = result.json;
      if (fieldset) {
        setRevision(fieldset, answer.revision);
        fieldset.setAttribute("data-answered", answer.value !== null || answer.na ? "true" : "false");
        showErrors(qid, {});
        if (answer.confirmed) {
          fieldset.classList.remove("question--unconfirmed");
          var notice = document.getElementById("q-" + qid + "-confirm-notice");
          if (notice) { notice.hidden = true; }
        }
        var meta = fieldset.querySelector("[data-meta]");
        if (meta && answer.updated_by) {
          // First-strong isolates: a Latin name and a date inside Arabic text keep their order.
          meta.textContent = format(T.saved_by, { who: "\u2068" + answer.updated_by + "\u2069",
                                                  when: "\u2068" + when(answer.updated_at) + "\u2069" });
        }
      }
      if (entry && entry.seq === sent) { delete queue[qid]; }
      else if (entry) { entry.base = answer.revision; schedule(qid); }
      refreshNavigation();
    } else if (result.status === 409 && error.code === "stale") {
      if (entry) { entry.conflict = error.current || null; }
      showConflict(qid);
    } else if (result.status === 422) {
      if (entry) { entry.invalid = error.fields && Object.keys(error.fields).length ? error.fields : { value: error.message }; }
      showErrors(qid, entry ? entry.invalid : {});
    } else if (result.status === 401) {
      setStatus("loggedOut");
      storeQueue();
      return;
    } else if (result.status >= 500 || result.status === 429 || result.status === 0) {
      offline = result.status === 0;
    } else if (entry) {
      entry.blocked = error.message || String(result.status);
    }
    storeQueue();
    refreshStatus();
  }
  function flushAll() {
    Object.keys(queue).forEach(function (qid) { send(qid); });
  }

  // -- skip logic, as the server applies it (benchmark.scoring.is_visible) ---------------------
  function selectedOf(qid) {
    var fieldset = fieldsetOf(qid);
    if (fieldset && form.contains(fieldset)) {
      var na = fieldset.querySelector("[data-na]");
      if (na && na.checked) { return []; }
      var kind = kindOf(fieldset);
      if (kind === "scalar") { return []; }
      var value = readValue(fieldset);
      if (value === null) { return []; }
      return Array.isArray(value) ? value : [value];
    }
    return data.selected[qid] || [];
  }
  function isVisible(qid, seen) {
    var rule = data.rules[qid];
    if (!rule) { return true; }
    seen = seen || {};
    if (seen[qid]) { return false; }
    seen[qid] = true;
    if (!isVisible(rule.question, seen)) { return false; }
    return selectedOf(rule.question).some(function (v) { return rule["in"].indexOf(v) >= 0; });
  }
  function applySkipLogic() {
    questionFieldsets().forEach(function (fieldset) {
      var qid = fieldset.getAttribute("data-question");
      if (!data.rules[qid]) { return; }
      var visible = isVisible(qid);
      var answered = fieldset.getAttribute("data-answered") === "true" || Boolean(queue[qid]);
      fieldset.hidden = !visible && !answered;
      fieldset.classList.toggle("question--skipped", !visible);
      var note = fieldset.querySelector("[data-skip-note]");
      if (note) { note.hidden = visible; }
    });
  }

  // -- exclusive options ("None of these"): chosen alone, as the server requires --------------
  function keepExclusiveAlone(fieldset, target) {
    if (target.type !== "checkbox" || !target.checked || kindOf(fieldset) !== "multi") { return; }
    var inputs = named(fieldset, "value");
    var exclusive = target.hasAttribute("data-exclusive");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i] !== target && (exclusive || inputs[i].hasAttribute("data-exclusive"))) {
        inputs[i].checked = false;
      }
    }
  }

  // -- "not applicable": the answer's inputs are cleared and disabled, restored on untick ------
  function syncNa(fieldset) {
    var na = fieldset.querySelector("[data-na]");
    if (!na) { return; }
    var inputs = named(fieldset, "value");
    var i;
    if (na.checked && !fieldset.hasAttribute("data-na-kept")) {
      var kept = [];
      for (i = 0; i < inputs.length; i++) {
        kept.push(inputs[i].type === "checkbox" || inputs[i].type === "radio" ? inputs[i].checked : inputs[i].value);
        if (inputs[i].type === "checkbox" || inputs[i].type === "radio") { inputs[i].checked = false; }
        else { inputs[i].value = ""; }
      }
      fieldset.setAttribute("data-na-kept", JSON.stringify(kept));
    } else if (!na.checked && fieldset.hasAttribute("data-na-kept")) {
      var restored = JSON.parse(fieldset.getAttribute("data-na-kept"));
      fieldset.removeAttribute("data-na-kept");
      for (i = 0; i < inputs.length && i < restored.length; i++) {
        if (inputs[i].type === "checkbox" || inputs[i].type === "radio") { inputs[i].checked = restored[i]; }
        else { inputs[i].value = restored[i]; }
      }
    }
    for (i = 0; i < inputs.length; i++) { inputs[i].disabled = na.checked || fieldset.getAttribute("data-editable") !== "true"; }
  }

  // -- the side navigation's counts follow the answers as they are saved -------------------
  function refreshNavigation() {
    var current = document.querySelector(".questionnaire__nav a[aria-current=page]");
    var bar = current && current.parentNode.querySelector(".nav-progress");
    if (!bar) { return; }
    var total = 0, done = 0, toConfirm = 0;
    questionFieldsets().forEach(function (fieldset) {
      if (fieldset.classList.contains("question--skipped")) { return; }
      total += 1;
      if (fieldset.getAttribute("data-answered") !== "true") { return; }
      if (fieldset.classList.contains("question--unconfirmed")) { toConfirm += 1; } else { done += 1; }
    });
    var textEl = bar.querySelector(".progress-text");
    if (textEl) { textEl.textContent = format(P.progress, { done: done, total: total }); }
    var fill = bar.querySelector(".meter__fill");
    if (fill) { fill.style.inlineSize = (total ? Math.round(100 * done / total) : 100) + "%"; }
    var confirmEl = bar.querySelector("[data-to-confirm]");
    if (confirmEl) {
      confirmEl.hidden = toConfirm === 0;
      confirmEl.textContent = "· " + format(toConfirm === 1 ? P.to_confirm_one : P.to_confirm_other, { num: toConfirm });
    }
  }

  // -- wiring ------------------------------------------------------------------------------
  function onEdit(event) {
    var target = event.target;
    if (!target.name || /:(resolve|revision)$/.test(target.name)) { return; }
    var fieldset = target.closest("fieldset.question[data-question]");
    if (!fieldset || fieldset.getAttribute("data-editable") !== "true") { return; }
    if (/:value$/.test(target.name)) { keepExclusiveAlone(fieldset, target); }
    if (target.hasAttribute("data-na")) { syncNa(fieldset); }
    applySkipLogic();
    if (event.type === "input" && (target.type === "radio" || target.type === "checkbox")) { return; }
    enqueue(fieldset);
  }

  questionFieldsets().forEach(syncNa);
  applySkipLogic();
  if (!editable) { return; }
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("submit", function (event) {
    // A plain post after autosave would only repeat it; wait for pending saves, then post.
    if (!Object.keys(queue).length || form.getAttribute("data-flushed") === "true") { return; }
    event.preventDefault();
    var submitter = event.submitter;
    flushAll();
    var waited = 0;
    var timer = window.setInterval(function () {
      waited += 200;
      var pending = Object.keys(queue).filter(function (q) { return !queue[q].invalid && !queue[q].blocked && queue[q].conflict === undefined; });
      if (!pending.length || waited > 10000) {
        window.clearInterval(timer);
        // Still waiting on the network: stay, the status says so. What is left was refused
        // (invalid, stale, read-only): post, so the server's error summary names each answer.
        if (pending.length) { refreshStatus(); return; }
        form.setAttribute("data-flushed", "true");
        if (submitter && submitter.name) {
          var carry = document.createElement("input");
          carry.type = "hidden";
          carry.name = submitter.name;
          carry.value = submitter.value;
          form.appendChild(carry);
        }
        form.submit();
      }
    }, 200);
  });
  window.addEventListener("online", function () { offline = false; flushAll(); });
  window.addEventListener("offline", function () { offline = true; refreshStatus(); });
  window.setInterval(function () { if (Object.keys(queue).length) { flushAll(); } }, RETRY_MS);

  // Answers typed before a reload (or while offline) come back into the form and are saved.
  Object.keys(queue).forEach(function (qid) {
    var entry = queue[qid];
    var fieldset = fieldsetOf(qid);
    delete entry.blocked;  // try again: the reason (a read-only state, rights) may be gone
    if (fieldset && entry.body) { writeBody(fieldset, entry.body); syncNa(fieldset); }
    if (entry.conflict !== undefined) { showConflict(qid); }
    else if (entry.invalid) { showErrors(qid, entry.invalid); }
  });
  applySkipLogic();
  refreshStatus();
  flushAll();
})();
