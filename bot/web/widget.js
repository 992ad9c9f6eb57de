/* 惠企政策助手: the site widget. One tag embeds it:
 *   <script src="https://ASSISTANT/webhooks/widget/static/widget.js" defer></script>
 * Plain JavaScript, no build step, no third-party code. It talks to the assistant's `widget`
 * channel (a REST channel, bot/channels/widget.py) at the address the script came from, and
 * renders the structured answer (docs/answers.md, huiqi-answer 1.x) when the assistant sends
 * one, plain texts and buttons otherwise. The conversation (sender id + transcript) is kept
 * in localStorage, so it survives a reload. Every text it shows about policies comes from the
 * assistant; the widget adds only its own labels. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__huiqiWidget) return;
  window.__huiqiWidget = true;
  var BASE = script.src.replace(/\/static\/widget\.js(\?.*)?$/, "");
  var KEY = "huiqi-widget:" + BASE;
  var TITLE = script.getAttribute("data-title") || "惠企政策助手";
  var MAX_LOG = 200;
  var maxChars = 500;

  function newSender() {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return "web-" + Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(KEY) || "null");
      if (s && typeof s.sender === "string" && Array.isArray(s.log)) return s;
    } catch (e) { /* storage refused or damaged: start afresh */ }
    return null;
  }
  var state = load() || { sender: newSender(), log: [], open: false, greeted: false };
  function save() {  // true when old entries were dropped (the log is then drawn anew)
    var trimmed = state.log.length > MAX_LOG;
    if (trimmed) state.log = state.log.slice(-MAX_LOG);
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* memory only */ }
    return trimmed;
  }

  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "class") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }

  // ---- the structure: a launcher and a panel, in a shadow root (the host page's CSS stays out)
  var host = el("div", { id: "huiqi-widget" });
  document.body.appendChild(host);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var sheet = el("link", { rel: "stylesheet", href: BASE + "/static/widget.css" });
  host.style.display = "none";  // until styled: no flash of an unstyled panel in the page
  function styled() { host.style.display = ""; if (atEnd) scrollTo(log.scrollHeight); }
  sheet.addEventListener("load", styled);
  sheet.addEventListener("error", styled);
  root.appendChild(sheet);

  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false",
    "aria-controls": "hq-panel", text: "政策咨询" });
  var panel = el("section", { id: "hq-panel", class: "panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "hq-title", hidden: "" });
  var title = el("h2", { id: "hq-title", text: TITLE });
  var clearBtn = el("button", { type: "button", class: "ghost", text: "重新开始", "aria-label": "清空对话，重新开始" });
  var closeBtn = el("button", { type: "button", class: "ghost close", "aria-label": "关闭对话窗口", text: "×" });
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "对话记录", tabindex: "0" });
  var typing = el("div", { class: "typing", hidden: "", "aria-hidden": "true" },
    [el("span"), el("span"), el("span")]);
  var status = el("div", { class: "sr-only", role: "status", "aria-live": "polite" });
  var chips = el("ul", { class: "chips", "aria-label": "常见问题" });
  var input = el("textarea", { id: "hq-input", rows: "1", maxlength: String(maxChars),
    "aria-describedby": "hq-count", placeholder: "请输入您的问题，如：高企有什么奖励？" });
  var inputLabel = el("label", { for: "hq-input", class: "sr-only", text: "输入您的问题" });
  var count = el("span", { id: "hq-count", class: "count", "aria-live": "off" });
  var send = el("button", { type: "submit", class: "send", text: "发送" });
  var form = el("form", { class: "composer", "aria-label": "发送消息" },
    [inputLabel, input, el("div", { class: "composer-side" }, [send, count])]);
  panel.appendChild(el("div", { class: "head" },
    [title, el("div", { class: "head-buttons" }, [clearBtn, closeBtn])]));
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(status);
  panel.appendChild(chips);
  panel.appendChild(form);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- rendering the transcript
  // Kept at the end while the reader is there, when the panel's size changes (styles, chips, fonts).
  var atEnd = true;
  var items = el("div", { class: "items" });
  log.appendChild(items);
  var lastSet = -1;  // where the widget itself last scrolled to: its own scroll events say nothing of the reader
  function scrollTo(y) { log.scrollTop = y; lastSet = log.scrollTop; }
  log.addEventListener("scroll", function () {
    if (log.scrollTop !== lastSet) atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 4;
  });
  if (window.ResizeObserver) {
    var ro = new ResizeObserver(function () { if (atEnd) scrollTo(log.scrollHeight); });
    ro.observe(log);
    ro.observe(items);  // the text reflows when the font arrives
  }
  var busy = false;
  var detailSeq = 0;

  function renderEntry(entry, isLast) {
    var who = entry.who === "user" ? "我" : entry.who === "bot" ? "助手" : "提示";
    var box = el("div", { class: "msg " + entry.who });
    box.appendChild(el("span", { class: "sr-only", text: who + "：" }));
    box.appendChild(el("div", { class: "bubble", text: entry.text || "" }));
    var buttons = entry.buttons || [];
    var detailBox = null;
    if (entry.detail) {
      var id = "hq-detail-" + (++detailSeq);
      detailBox = el("div", { id: id, class: "detail", role: "region", "aria-label": "详细说明", text: entry.detail });
      if (!entry.expanded) detailBox.hidden = true;
      if (!buttons.some(function (b) { return b.title === "详细"; })) buttons = [{ title: "详细", payload: null }].concat(buttons);
    }
    if (buttons.length) {
      var row = el("div", { class: "buttons", role: "group", "aria-label": "可选回答" });
      buttons.forEach(function (b) {
        var isDetail = entry.detail && b.title === "详细";
        var btn = el("button", { type: "button", class: isDetail ? "opt detail-toggle" : "opt", text: b.title });
        if (isDetail) {
          btn.setAttribute("aria-expanded", entry.expanded ? "true" : "false");
          btn.setAttribute("aria-controls", detailBox.id);
          btn.addEventListener("click", function () {
            entry.expanded = !entry.expanded;
            detailBox.hidden = !entry.expanded;
            btn.setAttribute("aria-expanded", entry.expanded ? "true" : "false");
            save();
          });
        } else {
          btn.disabled = !isLast;  // an earlier turn's choices: answered already
          btn.addEventListener("click", function () { ask(b.payload || b.title, b.title); });
        }
        row.appendChild(btn);
      });
      box.appendChild(row);
    }
    if (detailBox) box.appendChild(detailBox);
    return box;
  }

  // The log is appended to, never rebuilt while open (a screen reader announces additions
  // only); earlier turns' buttons are switched off in place.
  var rendered = 0;
  function lastBotIndex() {
    var last = -1;
    state.log.forEach(function (e, i) { if (e.who === "bot") last = i; });
    return last;
  }
  function render() {  // drawn anew (opening, a reload): at the end of the conversation
    items.textContent = "";
    rendered = 0;
    sync();
    toEnd();
  }
  function toEnd() { atEnd = true; scrollTo(log.scrollHeight); }
  function sync() {
    if (rendered > state.log.length) { render(); return; }
    var lastBot = lastBotIndex();
    Array.prototype.forEach.call(items.children, function (node, i) {
      Array.prototype.forEach.call(node.querySelectorAll(".opt:not(.detail-toggle)"), function (b) {
        b.disabled = !(i === lastBot && !busy);
      });
    });
    var firstNew = null;
    for (var i = rendered; i < state.log.length; i++) {
      var node = renderEntry(state.log[i], i === lastBot && !busy);
      items.appendChild(node);
      if (!firstNew && state.log[i].who !== "user") firstNew = node;
    }
    rendered = state.log.length;
    // a long answer is shown from its start (its first words answer the question), else the end
    if (firstNew && log.scrollHeight - firstNew.offsetTop > log.clientHeight) {
      atEnd = false;
      scrollTo(firstNew.offsetTop - 8);
    } else toEnd();
  }

  function append(entries) {
    entries.forEach(function (e) { state.log.push(e); });
    if (save()) render(); else sync();
  }

  // docs/answers.md: the structured answer replaces the plain messages of its turn.
  function toEntries(messages) {
    var structured = messages.filter(function (m) {
      var c = m && m.custom;
      return c && typeof c.huiqi_answer === "string" && c.huiqi_answer.split(".")[0] === "1" && typeof c.text === "string";
    });
    if (structured.length) {
      return structured.map(function (m) {
        var c = m.custom;
        return { who: "bot", text: c.text, detail: typeof c.detail === "string" && c.detail ? c.detail : null,
          buttons: (c.buttons || []).filter(function (b) { return b && b.title; }), expanded: false };
      });
    }
    return messages.filter(function (m) { return m && (m.text || (m.buttons && m.buttons.length)); })
      .map(function (m) { return { who: "bot", text: m.text || "", buttons: m.buttons || [] }; });
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    send.disabled = on;
    panel.setAttribute("aria-busy", on ? "true" : "false");
    status.textContent = on ? "助手正在输入…" : "";
  }

  function post(message) {
    return fetch(BASE + "/webhook", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: message })
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (!r.ok || !Array.isArray(body)) {
          throw new Error(body && body.error ? body.error : "助手暂时没有答复（HTTP " + r.status + "），请稍后再试。");
        }
        return body;
      });
    });
  }

  // Sends `message`; shows `shown` (a button's title) as what the user said, or nothing when null.
  function ask(message, shown, draft) {
    if (busy) return;
    if (shown !== null) append([{ who: "user", text: shown || message }]);
    setBusy(true);
    sync();
    post(message).then(function (replies) {
      setBusy(false);
      var entries = toEntries(replies);
      append(entries.length ? entries : [{ who: "note", text: "助手没有答复，请换个说法再试。" }]);
    }).catch(function (err) {
      setBusy(false);
      var msg = err && err.message && !/fetch|network/i.test(err.message) ? err.message : "网络连接失败，消息没有发出，请稍后重试。";
      append([{ who: "note", text: msg }]);
      if (draft) { input.value = draft; updateCount(); }  // nothing the user typed is lost
    });
  }

  function updateCount() {
    count.textContent = input.value.length + "/" + maxChars;
    count.className = "count" + (input.value.length >= maxChars ? " full" : "");
  }

  // ---- events
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    if (text.length > maxChars) text = text.slice(0, maxChars);
    input.value = "";
    updateCount();
    ask(text, text, text);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : send.click(); }
  });
  input.addEventListener("input", updateCount);

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    state.open = true;
    save();
    sync();
    input.focus();
    if (!state.greeted) {  // the assistant's own greeting, with its buttons
      state.greeted = true;
      save();
      ask("/greet", null);
    }
  }
  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }
  launcher.addEventListener("click", open);
  closeBtn.addEventListener("click", close);
  panel.addEventListener("keydown", function (ev) { if (ev.key === "Escape") close(); });
  clearBtn.addEventListener("click", function () {
    if (busy) return;
    state = { sender: newSender(), log: [], open: true, greeted: false };
    save();
    render();
    open();
  });

  function renderChips(list) {
    chips.textContent = "";
    list.forEach(function (s) {
      var b = el("button", { type: "button", class: "chip", text: s.title });
      b.addEventListener("click", function () { ask(s.payload || s.message, s.message); });
      chips.appendChild(el("li", {}, [b]));
    });
  }
  fetch(BASE + "/suggestions.json").then(function (r) { return r.ok ? r.json() : null; }).then(function (cfg) {
    if (!cfg) return;
    if (cfg.max_chars) { maxChars = cfg.max_chars; input.setAttribute("maxlength", String(maxChars)); updateCount(); }
    renderChips(cfg.suggestions || []);
  }).catch(function () { /* no chips: the widget works without them */ });

  updateCount();
  if (state.open) { panel.hidden = false; launcher.hidden = true; launcher.setAttribute("aria-expanded", "true"); }
  render();
})();
