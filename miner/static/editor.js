// The answer editor: live preview (rendered and sanitized by the server, as readers see it) and
// drafts from the forum's replies (their citations appended to the textarea, unsaved text kept).
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  var body = document.getElementById("answer-body");
  var preview = document.getElementById("answer-preview");
  if (!form || !body || !preview) { return; }
  var token = form.querySelector("input[name=csrftoken]").value;
  var timer = null;
  var sent = 0;

  function render() {
    var mine = ++sent;
    var data = new URLSearchParams();
    data.append("csrftoken", token);
    data.append("body", body.value);
    fetch("/-/preview", {method: "POST", body: data, credentials: "same-origin",
                         headers: {"Content-Type": "application/x-www-form-urlencoded"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null && mine === sent) { preview.innerHTML = html; } })
      .catch(function () {});
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(render, 250);
  }

  body.addEventListener("input", later);
  render();

  var cite = document.getElementById("cite-form");
  if (cite) {
    cite.addEventListener("submit", function (event) {
      var chosen = cite.querySelectorAll("input[name=cite]:checked");
      if (!chosen.length) { event.preventDefault(); return; }
      event.preventDefault();
      var parts = [];
      if (body.value.trim()) { parts.push(body.value.replace(/\s+$/, "")); }
      chosen.forEach(function (box) { parts.push(box.getAttribute("data-citation")); box.checked = false; });
      body.value = parts.join("\n\n");
      var draft = form.querySelector("input[name=status][value=draft]");
      if (draft) { draft.checked = true; }
      body.focus();
      render();
    });
  }
})();
