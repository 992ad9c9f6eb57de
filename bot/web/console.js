/* 惠企热线坐席台: staff on a call use the assistant as a script. Talks to the `hotline` channel
 * (bot/channels/hotline.py) with the token given in the address (#token=…, then kept in
 * sessionStorage and taken out of the address). Every text about policies comes from the
 * server (the assistant's replies and huiqi.callsheet's state); this page adds only labels. */
(function () {
  "use strict";
  var API = location.pathname.replace(/\/console\/?$/, "");
  var TOKEN_KEY = "huiqi-hotline-token", CALL_KEY = "huiqi-hotline-call";
  var $ = function (id) { return document.getElementById(id); };
  var state = null, busy = false, editing = null;

  var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
  function newCall() {
    var a = new Uint8Array(8);
    crypto.getRandomValues(a);
    var id = "call-" + Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    sessionStorage.setItem(CALL_KEY, id);
    return id;
  }
  function call() { return sessionStorage.getItem(CALL_KEY) || newCall(); }

  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "class") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function say(msg) { $("status").textContent = msg; }

  function api(method, path, body) {
    busy = true;
    document.body.setAttribute("aria-busy", "true");
    return fetch(API + path, {
      method: method,
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token() },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.status === 401) { showGate("口令不正确，请重新输入。"); throw new Error("口令不正确或缺少口令。"); }
        if (!r.ok) throw new Error(data.error || ("请求失败（HTTP " + r.status + "）"));
        return data;
      });
    }).finally(function () { busy = false; document.body.setAttribute("aria-busy", "false"); });
  }

  function showGate(msg) {
    $("app").hidden = true;
    $("gate").hidden = false;
    if (msg) say(msg);
    $("token").focus();
  }

  // ---- rendering
  function render(data) {
    state = data.state;
    // docs/answers.md: a structured answer (huiqi-answer 1.x) replaces its turn's plain texts
    var all = data.replies || [];
    var structured = all.filter(function (r) {
      return r.custom && typeof r.custom.huiqi_answer === "string" && r.custom.huiqi_answer.split(".")[0] === "1"
        && typeof r.custom.text === "string";
    });
    var replies = structured.length
      ? structured.map(function (r) { return { text: r.custom.text, detail: r.custom.detail || null, buttons: r.custom.buttons || [] }; })
      : all.filter(function (r) { return r.text; });
    renderAsk(replies);
    renderFacts();
    renderCards();
    renderLog();
    $("summary").value = state.summary;
  }

  function renderAsk(replies) {
    var q = $("question"), answers = $("answers");
    answers.textContent = "";
    if (state.asking) {
      q.textContent = state.asking.text;
      state.asking.buttons.forEach(function (b) {
        var btn = el("button", { type: "button", class: "opt", text: b.title });
        btn.addEventListener("click", function () { send(b.payload, b.title); });
        answers.appendChild(btn);
      });
    } else {
      q.textContent = state.transcript.length ? "没有需要再问的问题：请看“当前结果”，或记下来电人的其他问题。"
        : "请记下来电人的问题或企业情况，如“临清的轴承企业，规上”。";
    }
    var reply = $("reply");
    reply.textContent = "";
    var other = replies.filter(function (r) { return !state.asking || r.text !== state.asking.text; });
    if (other.length) {
      reply.appendChild(el("h3", { text: "助手的答复" }));
      other.forEach(function (r) {
        reply.appendChild(el("p", { class: "reply-text", text: r.text }));
        if (r.detail) reply.appendChild(el("details", { class: "reply-detail" }, [el("summary", { text: "详细" }), el("p", { class: "reply-text", text: r.detail })]));
        // the answer's own choices ("继续核对", "帮我核对"); 详细 already opens in place above
        var more = (r.buttons || []).filter(function (b) { return !(r.detail && b.payload === "详细"); });
        if (more.length) {
          var row = el("div", { class: "reply-options" });
          more.forEach(function (b) {
            var btn = el("button", { type: "button", class: "opt", text: b.title });
            btn.addEventListener("click", function () { send(b.payload, b.title); });
            row.appendChild(btn);
          });
          reply.appendChild(row);
        }
      });
    }
  }

  function valueInput(f, id) {
    if (f.choices.length) {
      var sel = el("select", { id: id });
      f.choices.forEach(function (c) {
        var o = el("option", { value: c.value, text: c.title });
        if (String(f.value) === c.value) o.selected = true;
        sel.appendChild(o);
      });
      return sel;
    }
    var inp = el("input", { id: id, type: "number", min: "0", step: "any", inputmode: "decimal", required: "" });
    if (typeof f.value === "number") inp.value = f.type === "money" ? String(f.value / 10000) : String(f.value);
    return inp;
  }
  function unitOf(f) {
    return f.type === "money" ? "万元" : f.type === "percent" ? "%" : (f.unit || "");
  }

  function factRow(f, known) {
    var li = el("li", { class: "fact" + (f.implied ? " implied" : "") + (known ? "" : " missing"), "data-fact": f.id });
    if (editing === f.id) {
      var id = "edit-" + f.id;
      var form = el("form", { class: "edit" });
      var input = valueInput(f, id);
      form.appendChild(el("label", { for: id, text: f.label }));
      var row = el("div", { class: "edit-row" }, [input, unitOf(f) ? el("span", { class: "unit", text: unitOf(f) }) : null,
        el("button", { type: "submit", class: "primary", text: "保存" }),
        el("button", { type: "button", class: "cancel", text: "取消" })]);
      form.appendChild(row);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var v = input.value;
        if (!f.choices.length) {
          if (v === "" || isNaN(Number(v))) { say("请填写数字。"); input.focus(); return; }
          v = Number(v) * (f.type === "money" ? 10000 : 1);
        } else if (f.type === "bool") {
          v = v === "true";
        }
        editing = null;
        setFact(f, v);
      });
      form.querySelector(".cancel").addEventListener("click", function () { editing = null; renderFacts(); focusFact(f.id); });
      form.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { editing = null; renderFacts(); focusFact(f.id); } });
      li.appendChild(form);
      return li;
    }
    li.appendChild(el("span", { class: "label", text: f.label }));
    if (known) {
      li.appendChild(el("span", { class: "value", text: f.title + (f.implied ? "（推定）" : "") }));
    } else {
      li.appendChild(el("span", { class: "value none", text: f.skipped ? "来电人不清楚" : "未知" }));
    }
    var btn = el("button", { type: "button", class: "edit-btn", text: known ? "修改" : "填写",
      "aria-label": (known ? "修改" : "填写") + "：" + f.label });
    btn.addEventListener("click", function () { editing = f.id; renderFacts(); });
    li.appendChild(btn);
    return li;
  }
  function focusFact(id) {
    var b = document.querySelector('[data-fact="' + id + '"] .edit-btn');
    if (b) b.focus();
  }

  function renderFacts() {
    var facts = $("facts"), unknown = $("unknown");
    facts.textContent = "";
    unknown.textContent = "";
    if (!state.facts.length) facts.appendChild(el("li", { class: "empty", text: "尚未记录" }));
    state.facts.forEach(function (f) { facts.appendChild(factRow(f, true)); });
    var main = state.unknown.filter(function (f) { return f.main || f.id === editing; });
    var rest = state.unknown.filter(function (f) { return !f.main && f.id !== editing; });
    if (!main.length) unknown.appendChild(el("li", { class: "empty", text: rest.length ? "通话要问的都已问过" : "无" }));
    main.forEach(function (f) { unknown.appendChild(factRow(f, false)); });
    if (rest.length) {
      var ul = el("ul", { class: "fact-list" });
      rest.forEach(function (f) { ul.appendChild(factRow(f, false)); });
      unknown.appendChild(el("li", { class: "more" }, [el("details", {}, [
        el("summary", { text: "其他可能相关的情况（" + rest.length + "项）" }), ul])]));
    }
    if (editing) {  // the editor just opened: its field has the focus
      var field = document.getElementById("edit-" + editing);
      if (field) field.focus();
    }
  }

  var VERDICT_CLASS = { eligible: "yes", not_eligible: "no", need_information: "maybe" };
  function card(c) {
    // an award under a draft or an expired trial is never shown as sure: its own grey badge
    var cls = c.in_force === false && c.verdict !== "not_eligible" ? "stale" : (VERDICT_CLASS[c.verdict] || "");
    var a = el("article", { class: "card " + cls, "aria-label": c.verdict_zh + "：" + c.title });
    a.appendChild(el("div", { class: "card-head" }, [el("h3", { text: c.title }), el("span", { class: "badge", text: c.verdict_zh })]));
    if (c.amount) a.appendChild(el("p", { class: "amount", text: c.amount }));
    c.why.forEach(function (w) { a.appendChild(el("p", { class: "why", text: w })); });
    a.appendChild(el("p", { class: "cite", text: c.document + " " + c.measure + " · " + c.status }));
    a.appendChild(el("p", { class: "dept", text: c.departments }));
    return a;
  }
  function renderCards() {
    var box = $("cards"), totals = $("totals");
    box.textContent = "";
    totals.textContent = "";
    state.totals.forEach(function (t) { totals.appendChild(el("p", { class: "total", text: t.document + "：" + t.text })); });
    // money under a draft or an expired trial is its own group: never counted as 符合 (docs/verdicts.md)
    var groups = [["eligible", "符合", true], ["eligible", "符合原文条件，但文件未生效或已过期（不计入确定可得）", false],
                  ["need_information", "待确认（还需要情况）", null], ["not_eligible", "不符合", null]];
    if (!state.cards.length) box.appendChild(el("p", { class: "empty", text: "还没有可判断的奖补。" }));
    groups.forEach(function (g) {
      var cs = state.cards.filter(function (c) {
        return c.verdict === g[0] && (g[2] === null || (c.in_force !== false) === g[2]);
      });
      if (!cs.length) return;
      var wrap;
      if (g[0] === "need_information" && cs.length > 3) {
        wrap = el("details", { class: "group" }, [el("summary", { text: g[1] + " " + cs.length + " 项" })]);
      } else {
        wrap = el("div", { class: "group" }, [el("h3", { class: "group-h", text: g[1] + " " + cs.length + " 项" })]);
      }
      cs.forEach(function (c) { wrap.appendChild(card(c)); });
      box.appendChild(wrap);
    });
  }

  function renderLog() {
    var log = $("log");
    log.textContent = "";
    state.transcript.forEach(function (t) {
      log.appendChild(el("li", { class: t.who }, [el("span", { class: "who", text: t.who === "user" ? "记录：" : "助手：" }), t.text]));
    });
  }

  // ---- actions
  function send(message, shown) {
    if (busy) return Promise.resolve();
    say("正在处理…");
    return api("POST", "/webhook", { sender: call(), message: message }).then(function (d) {
      render(d);
      say("已记录：" + (shown || message));
      var first = document.querySelector("#answers .opt");
      (first || $("said")).focus();
    }).catch(function (e) { say(e.message); throw e; });
  }
  function setFact(f, value) {
    say("正在更新…");
    return api("POST", "/fact", { sender: call(), fact: f.id, value: value }).then(function (d) {
      render(d);
      say("已更新：" + f.label);
      focusFact(f.id);
    }).catch(function (e) { say(e.message); renderFacts(); });
  }
  function load() {
    return api("GET", "/state?sender=" + encodeURIComponent(call())).then(function (d) {
      $("gate").hidden = true;
      $("app").hidden = false;
      render(d);
    }).catch(function (e) { say(e.message); });
  }

  $("say").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var t = $("said").value.trim();
    if (!t) return;
    send(t, t).then(function () { $("said").value = ""; count(); }, function () { /* kept in the box */ });
  });
  $("said").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $("say").requestSubmit(); }
  });
  function count() { $("said-count").textContent = $("said").value.length + "/500"; }
  $("said").addEventListener("input", count);
  $("new-call").addEventListener("click", function () { newCall(); editing = null; load().then(function () { say("已开始新来电。"); $("said").focus(); }); });
  $("copy").addEventListener("click", function () {
    var text = $("summary").value;
    var done = function () { say("通话记录已复制（" + text.split("\n").length + " 行）。"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else fallback();
    function fallback() {
      var s = $("summary");
      s.focus(); s.select();
      try { document.execCommand("copy"); done(); } catch (e) { say("无法自动复制，请手动复制通话记录。"); }
      $("copy").focus();
    }
  });
  $("gate").addEventListener("submit", function (ev) {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    load();
  });

  if (token()) load(); else showGate();
})();
