// The customer chat page: sends messages, shows the conversation from the
// server's message log, and waits for what the business sends later: a long
// poll (/chat/messages?wait=) the server answers as soon as there is
// something new. A server that answers at once with nothing, or an error,
// is asked again every 2 s, as plain polling would.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  var token = root.dataset.token, lang = root.dataset.lang;
  var log = document.getElementById("log"), choicesBox = document.getElementById("choices");
  var form = document.getElementById("compose"), input = document.getElementById("text");
  var lastId = 0, busy = false, RETRY_MS = 2000, WAIT_S = 25;

  function headers() {
    return {"Content-Type": "application/json", "X-Chat-Token": token};
  }

  function showChoices(choices) {
    choicesBox.textContent = "";
    (choices || []).forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.textContent = c.label;
      b.addEventListener("click", function () { send({payload: c.payload, label: c.label}); });
      choicesBox.appendChild(b);
    });
  }

  function add(messages) {
    var last = null;
    messages.forEach(function (m) {
      if (m.id <= lastId) { return; }
      lastId = m.id;
      var li = document.createElement("li");
      li.className = "bubble " + (m.dir === "in" ? "in" : "out");
      li.dataset.id = m.id;
      li.textContent = m.text;  // text, never HTML
      log.appendChild(li);
      last = m;
    });
    if (last) {
      showChoices(last.dir === "out" ? last.choices : []);
      log.scrollTop = log.scrollHeight;
      window.scrollTo(0, document.body.scrollHeight);
    }
  }

  function fail(err) {
    var li = document.createElement("li");
    li.className = "bubble error";
    li.textContent = err && err.message === "429" ? root.dataset.tooFast : root.dataset.error;
    log.appendChild(li);
  }

  function newId() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  function send(body) {
    if (busy) { return; }
    busy = true;
    body.id = newId();
    body.after = lastId;
    body.lang = lang;
    showChoices([]);
    fetch("/chat/send", {method: "POST", headers: headers(), body: JSON.stringify(body), credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { add(data.messages); })
      .catch(fail)
      .finally(function () { busy = false; });
  }

  function listen() {
    var started = Date.now();
    function again(ms) { setTimeout(listen, ms); }
    fetch("/chat/messages?after=" + lastId + "&wait=" + WAIT_S,
          {headers: headers(), credentials: "same-origin", cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        add(data.messages);
        var answeredAtOnce = !data.messages.length && Date.now() - started < 1000;
        again(answeredAtOnce ? RETRY_MS : 0);
      })
      .catch(function () { again(RETRY_MS); });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send({text: text});
  });
  listen();
})();
