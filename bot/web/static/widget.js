// Embeds the chat on another site: <script src="https://YOUR-HOST/static/widget.js" async></script>
// adds a button at the bottom right that opens /chat in an iframe.
(function () {
  "use strict";
  var me = document.currentScript;
  var origin = new URL(me.src).origin;
  var lang = me.dataset.lang || (navigator.language || "zh").slice(0, 2);
  var label = me.dataset.label || (lang === "en" ? "Book with us" : "在线预约");
  var frame = null;
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:12px 18px;" +
    "border:0;border-radius:24px;background:#0b7a5a;color:#fff;font:15px sans-serif;cursor:pointer;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.25)";
  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = origin + "/chat?embed=1&lang=" + encodeURIComponent(lang === "en" ? "en" : "zh");
      frame.title = label;
      frame.style.cssText = "position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(380px,calc(100vw - 32px));" +
        "height:min(600px,calc(100vh - 96px));border:1px solid #ccc;border-radius:12px;background:#fff;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(frame);
    } else {
      frame.style.display = frame.style.display === "none" ? "" : "none";
    }
  });
  document.body.appendChild(button);
})();
