// Autosave for the test page: each change is queued on this device and sent in order, one at a time.
// Every save carries a sequence number (milliseconds since the attempt started, on the server's clock at page
// load plus this tab's monotonic clock), so the server keeps the newest answer whatever arrives late.
// Without JavaScript the form's own buttons save everything; this file only makes it better.
(function () {
  "use strict";
  var form = document.getElementById("test-form");
  if (!form || !window.fetch || !window.JSON) { return; }

  var text = form.dataset;
  var storageKey = "capacita-test-queue-" + text.attempt;
  var seqBase = Number(text.seqBase) || 0;
  var started = performance.now();
  var lastSeq = 0;
  var sending = false;
  var retryTimer = null;
  var retryDelay = 2000;
  var stopped = false;
  var banner = document.getElementById("connection-state");
  var token = form.querySelector("input[name=csrf_token]").value;

  function readQueue() {
    try { return JSON.parse(window.localStorage.getItem(storageKey)) || []; } catch (e) { return memoryQueue; }
  }
  var memoryQueue = [];
  function writeQueue(queue) {
    memoryQueue = queue;
    try { window.localStorage.setItem(storageKey, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
  }

  function nextSeq() {
    lastSeq = Math.max(lastSeq + 1, seqBase + Math.round(performance.now() - started));
    return lastSeq;
  }

  // The question's type says how its answer is read (data-answer-kind): "many" checked inputs, the typed
  // "text", or "one" checked input.
  function answerKind(fieldset) { return fieldset.dataset.answerKind; }

  function valueOf(fieldset) {
    var kind = answerKind(fieldset);
    if (kind === "many") {
      return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (box) { return box.value; });
    }
    if (kind === "text") {
      return fieldset.querySelector("input[type=text], textarea").value;
    }
    var chosen = fieldset.querySelector("input:checked");
    return chosen ? chosen.value : "";
  }

  function setValue(fieldset, value) {
    if (answerKind(fieldset) === "text") {
      fieldset.querySelector("input[type=text], textarea").value = value || "";
      return;
    }
    var chosen = Array.isArray(value) ? value : [String(value)];
    fieldset.querySelectorAll("input").forEach(function (input) { input.checked = chosen.indexOf(input.value) !== -1; });
  }

  // kind: "error" (red), "pending" (not on the server yet) or nothing (saved).
  function stateOf(questionId, message, kind) {
    var place = form.querySelector('[data-state-for="' + questionId + '"]');
    if (place) {
      place.textContent = message;
      place.classList.toggle("error", kind === true || kind === "error");
      place.classList.toggle("pending", kind === "pending");
    }
  }

  function markWaiting() {
    readQueue().forEach(function (item) { stateOf(item.question, text.textQueued, "pending"); });
  }

  function showBanner(message, isError) {
    banner.hidden = !message;
    banner.textContent = message || "";
    banner.classList.toggle("offline", !!isError);
  }

  function queueAnswer(fieldset) {
    var questionId = Number(fieldset.dataset.question);
    // A newer answer to the same question supersedes any unsent older one.
    var queue = readQueue().filter(function (item) { return item.question !== questionId; });
    queue.push({question: questionId, value: valueOf(fieldset), seq: nextSeq()});
    writeQueue(queue);
    stateOf(questionId, navigator.onLine === false ? text.textQueued : text.textSaving, "pending");
    send();
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; send(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function send() {
    if (sending || stopped) { return; }
    var queue = readQueue();
    if (!queue.length) {
      showBanner("");
      form.dispatchEvent(new Event("capacita:drained"));
      return;
    }
    var item = queue[0];
    sending = true;
    fetch(text.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(item)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {status: response.status, body: body};
      });
    }).then(function (result) {
      sending = false;
      retryDelay = 2000;
      if (result.status === 200) {
        if (typeof result.body.seq_base === "number" && result.body.seq_base > seqBase) {
          // Follow the server's clock: a phone's monotonic clock stops while it sleeps.
          seqBase = result.body.seq_base;
          started = performance.now();
        }
        dropFirst(item);
        stateOf(item.question, result.body.status === "stale" ? text.textStale : text.textSaved, result.body.status === "stale");
        send();
      } else if (result.status === 409) {
        stopped = true;
        showBanner(text.textClosed, true);
        window.setTimeout(function () { window.location.reload(); }, 1500);
      } else if ((result.status === 400 || result.status === 422) && result.body.status === "invalid") {
        dropFirst(item);  // the server read it and will never take it; keep the others moving
        stateOf(item.question, result.body.message || "", true);
        send();
      } else if (result.status >= 400 && result.status < 500) {
        // No session (or its CSRF token is gone): the queue stays on this device until the personal link
        // opens a new session and this page is loaded again.
        stopped = true;
        showBanner(text.textSession, true);
      } else {
        offline();
      }
    }).catch(function () {
      sending = false;
      offline();
    });
  }

  function dropFirst(item) {
    var queue = readQueue();
    if (queue.length && queue[0].question === item.question && queue[0].seq === item.seq) { queue.shift(); }
    writeQueue(queue);
  }

  function offline() {
    showBanner(text.textOffline + " " + text.textWaiting + " " + readQueue().length, true);
    markWaiting();
    scheduleRetry();
  }

  var typingTimers = {};
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) { window.clearTimeout(typingTimers[fieldset.dataset.question]); queueAnswer(fieldset); }
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset || answerKind(fieldset) !== "text") { return; }
    var key = fieldset.dataset.question;
    window.clearTimeout(typingTimers[key]);
    typingTimers[key] = window.setTimeout(function () { queueAnswer(fieldset); }, 800);
  });

  // Going to the review page waits until every queued answer has reached the server.
  form.addEventListener("submit", function (event) {
    if (!readQueue().length || stopped) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    form.addEventListener("capacita:drained", function () {
      if (submitter) { submitter.click(); } else { form.submit(); }
    }, {once: true});
    send();
  });

  window.addEventListener("online", function () { window.clearTimeout(retryTimer); retryTimer = null; send(); });
  window.addEventListener("offline", function () { offline(); });

  // Answers given before this file ran (on a slow connection the form shows first): their inputs differ from what
  // the page was served with (the form's autocomplete="off" keeps a reload from restoring older ones). They are the
  // newest of all, so found before the queue below restores older ones.
  function answeredBeforeScript(fieldset) {
    return Array.prototype.some.call(fieldset.querySelectorAll("input, textarea"), function (input) {
      return input.type === "radio" || input.type === "checkbox" ? input.checked !== input.defaultChecked
        : input.value !== input.defaultValue;
    });
  }
  var answeredEarly = Array.prototype.filter.call(form.querySelectorAll("fieldset.question"), answeredBeforeScript);

  // Answers queued before a reload or a lost connection are newer than the page's: show them, then send them.
  readQueue().forEach(function (item) {
    var fieldset = form.querySelector('fieldset[data-question="' + item.question + '"]');
    if (fieldset && answeredEarly.indexOf(fieldset) === -1) {
      setValue(fieldset, item.value);
      stateOf(item.question, text.textQueued, "pending");
    }
    lastSeq = Math.max(lastSeq, item.seq);
  });
  answeredEarly.forEach(function (fieldset) { queueAnswer(fieldset); });
  send();
})();
