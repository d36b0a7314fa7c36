// The dashboard board: asks every few seconds whether anything it shows has changed (a new
// order, a claim, a customer waiting for a person) and reloads itself when it has, so a
// shop that works from the dashboard alone sees new orders without pressing F5. While
// someone is typing in the search box it only says so, rather than wiping their words.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var stamp = board.dataset.stamp, every = parseInt(board.dataset.refreshMs, 10) || 20000;
  var notice = document.getElementById("board-changed"), title = document.title;

  function typing() {
    var el = document.activeElement;
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT") && el.value;
  }

  function changed() {
    if (!typing()) {
      window.location.reload();
      return;
    }
    notice.hidden = false;
    document.title = "● " + title;
  }

  function check() {
    fetch("/admin/board/stamp", {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) {  // a signed-out session is sent to the sign-in page: HTML, not JSON
        return r.ok && (r.headers.get("Content-Type") || "").indexOf("json") >= 0 ? r.json() : null;
      })
      .then(function (data) {
        if (!data || typeof data.stamp !== "string") { window.location.reload(); return; }  // signed out
        if (data.stamp !== stamp) changed(); else setTimeout(check, every);
      })
      .catch(function () { setTimeout(check, every); });  // the server restarting: ask again later
  }

  setTimeout(check, every);
})();
