"""The site widget in a real browser (headless Chromium, Debian's package) against a really
running Rasa server and action server: the demo page, asking, buttons, 详细, the transcript
kept across a reload, a phone's viewport, keyboard only, and axe-core's accessibility checks.
Screenshots go to test-artifacts/."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import yaml

from huiqi.nlu import load_topics
from huiqi.tables import default_rules_dir, load_catalogue
from tests.browser_support import (DESKTOP, PHONE, ROOT, axe_violations, browser,  # noqa: F401
                                   shot, site)  # browser, site: fixtures

pytestmark = pytest.mark.server
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
GREETING = DOMAIN["responses"]["utter_greet"][0]
TOPIC_LABELS = {t["label"] for t in load_topics(default_rules_dir()).values()}
CAT = load_catalogue()


def post(url: str, body: bytes) -> tuple[int, object]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def rest_texts(site: str, sender: str, message: str) -> list[str]:
    status, replies = post(f"{site}/webhooks/rest/webhook", json.dumps({"sender": sender, "message": message}).encode())
    assert status == 200 and replies
    return [r["text"] for r in replies if r.get("text")]


W = "#huiqi-widget"  # Playwright's CSS selectors pierce the widget's open shadow root


def open_widget(page, site):
    page.goto(f"{site}/webhooks/widget/demo")
    page.click(f"{W} .launcher")
    page.wait_for_selector(f"{W} .msg.bot .bubble")


def bot_texts(page) -> list[str]:
    return page.locator(f"{W} .msg.bot .bubble").all_inner_texts()


def wait_replies(page, n_bot: int):
    page.wait_for_function(
        "n => document.querySelector('#huiqi-widget').shadowRoot.querySelectorAll('.msg.bot').length >= n "
        "&& document.querySelector('#huiqi-widget').shadowRoot.querySelector('.typing').hidden", arg=n_bot)


def test_demo_page_lists_the_documents_and_embeds_the_widget(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site}/webhooks/widget/demo")
    docs = page.locator("#docs li").all_inner_texts()
    assert len(docs) == len(CAT.documents)
    for d in CAT.documents.values():
        assert any(d.title in t for t in docs), d.title
    assert page.locator(f"{W} .launcher").inner_text() == "政策咨询"
    assert page.locator(f"{W} .panel").is_hidden()
    page.close()


def test_ask_press_a_button_reload_and_find_the_conversation(browser, site):
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    open_widget(page, site)
    # the assistant's own greeting, with its buttons (domain.yml)
    assert bot_texts(page) == [GREETING["text"]]
    titles = page.locator(f"{W} .msg.bot .opt").all_inner_texts()
    assert titles == [b["title"] for b in GREETING["buttons"]]
    # chips: "what can we get" and topics named as rules/topics.yml names them
    chips = page.locator(f"{W} .chip").all_inner_texts()
    assert len(chips) >= 4 and all(c in TOPIC_LABELS for c in chips[1:]), chips
    assert chips[0] == GREETING["buttons"][0]["title"]

    # ask in words: the widget shows what the assistant answers (the same text a REST client gets)
    question = "科技副总补贴多少"
    page.fill(f"{W} textarea", question)
    page.press(f"{W} textarea", "Enter")
    wait_replies(page, 2)
    assert page.locator(f"{W} .msg.user .bubble").last.inner_text() == question
    expected = rest_texts(site, "widget-compare-1", question)
    assert bot_texts(page)[1:] == expected
    assert "科技副总" in expected[0]

    # press a button: the greeting's are answered already (disabled); start the company check
    page.locator(f"{W} .chip", has_text=GREETING["buttons"][0]["title"]).click()
    wait_replies(page, 3)
    region = CAT.vocab["region"]
    assert region.question in bot_texts(page)[-1]
    last = page.locator(f"{W} .msg.bot").last
    page.wait_for_timeout(100)
    linqing = region.values["linqing"]
    last.locator(".opt", has_text=linqing).click()
    wait_replies(page, 4)
    assert page.locator(f"{W} .msg.user .bubble").last.inner_text() == linqing
    after = bot_texts(page)[-1]
    assert any(f.question in after for f in CAT.vocab if f.question and f.id != "region"), after
    assert page.locator(f"{W} .msg.bot").nth(0).locator(".opt").first.is_disabled()
    shot(page, "widget-desktop")

    before = page.locator(f"{W} .msg").all_inner_texts()
    sender = page.evaluate("() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('huiqi-widget'))[1]).sender")
    page.reload()
    page.wait_for_selector(f"{W} .msg.bot .bubble")
    assert page.locator(f"{W} .panel").is_visible()
    assert page.locator(f"{W} .msg").all_inner_texts() == before
    page.wait_for_function("() => { const l = document.querySelector('#huiqi-widget').shadowRoot.querySelector('.log');"
                           " return l.scrollHeight - l.scrollTop - l.clientHeight < 2; }", timeout=5000)  # at its end
    assert sender == page.evaluate("() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('huiqi-widget'))[1]).sender")
    # the conversation goes on where it was: the last question's buttons still answer it
    assert page.locator(f"{W} .msg.bot").last.locator(".opt").first.is_enabled()
    ctx.close()


def test_structured_answer_details_expand_in_place(browser, site):
    """A live answer of the conversation (huiqi-answer 1.0, docs/answers.md): one bubble, its
    详细 expanding in place, kept expanded across a reload; its other buttons are real."""
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    open_widget(page, site)
    page.fill(f"{W} textarea", "临清轴承企业首次认定高企奖励多少")
    page.press(f"{W} textarea", "Enter")
    wait_replies(page, 2)
    # 奖励标准2：“对首次通过认定高新技术企业的，一次性奖励10万元”
    assert "10万元" in bot_texts(page)[-1] and "已过期" in bot_texts(page)[-1]
    toggle = page.locator(f"{W} .msg.bot").last.locator(".detail-toggle")
    detail = page.locator(f"{W} .msg.bot").last.locator(".detail")
    assert toggle.get_attribute("aria-expanded") == "false" and detail.is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert detail.is_visible() and "2.对首次通过认定高新技术企业的，一次性奖励10万元。" in detail.inner_text()  # verbatim
    detail.scroll_into_view_if_needed()
    shot(page, "widget-detail-desktop")
    toggle.click()
    assert detail.is_hidden()
    toggle.click()
    page.reload()
    page.wait_for_selector(f"{W} .msg.bot .detail")
    assert page.locator(f"{W} .msg.bot").last.locator(".detail").is_visible()  # kept expanded
    # the offer to check is a real button: it goes to the assistant, which asks a question
    page.locator(f"{W} .msg.bot").last.locator(".opt", has_text="帮我核对").click()
    wait_replies(page, 3)
    assert "？" in bot_texts(page)[-1]
    ctx.close()


def test_phone_viewport(browser, site):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    open_widget(page, site)
    box = page.locator(f"{W} .panel").bounding_box()
    assert box["width"] == PHONE["viewport"]["width"] and box["height"] == PHONE["viewport"]["height"]
    page.locator(f"{W} .chip").nth(1).click()
    wait_replies(page, 2)
    # a long answer is shown from its first line, not scrolled to its end
    reply, log = page.locator(f"{W} .msg.bot").last.bounding_box(), page.locator(f"{W} .log").bounding_box()
    if reply["height"] > log["height"]:  # longer than the screen: its start is in view
        assert log["y"] <= reply["y"] < log["y"] + 40
    else:  # all of it in view
        assert reply["y"] >= log["y"] and reply["y"] + reply["height"] <= log["y"] + log["height"] + 1
    # nothing wider than the screen: no sideways scrolling of the conversation
    assert page.evaluate("() => { const l = document.querySelector('#huiqi-widget').shadowRoot.querySelector('.log');"
                         " return l.scrollWidth <= l.clientWidth; }")
    font = page.evaluate("() => getComputedStyle(document.querySelector('#huiqi-widget').shadowRoot.querySelector('textarea')).fontSize")
    assert font == "16px"  # phones do not zoom into the input
    shot(page, "widget-phone")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    ctx.close()


def test_keyboard_only_and_accessibility(browser, site):
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    page.goto(f"{site}/webhooks/widget/demo")
    assert axe_violations(page) == []  # the page with the launcher
    for _ in range(10):  # Tab to the launcher
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id === 'huiqi-widget' && "
                         "document.activeElement.shadowRoot.activeElement.classList.contains('launcher')"):
            break
    else:
        pytest.fail("the launcher is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{W} .msg.bot .bubble")
    assert page.evaluate("() => document.querySelector('#huiqi-widget').shadowRoot.activeElement.tagName") == "TEXTAREA"
    # the log is appended to, not redrawn (a screen reader would read it all again)
    page.evaluate("() => { document.querySelector('#huiqi-widget').shadowRoot.querySelector('.msg').dataset.seen = '1'; }")
    page.keyboard.type("专利奖励找哪个部门？")
    page.keyboard.press("Enter")
    wait_replies(page, 2)
    assert page.locator(f"{W} .msg").first.get_attribute("data-seen") == "1"
    log = page.locator(f"{W} [role=log]")
    assert log.get_attribute("aria-live") == "polite"
    # Tab from the input reaches the send button; Shift+Tab back reaches the chips and the buttons
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.querySelector('#huiqi-widget').shadowRoot.activeElement.className") == "chip"
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    page.keyboard.press("Escape")
    assert page.locator(f"{W} .panel").is_hidden()
    assert page.evaluate("() => document.querySelector('#huiqi-widget').shadowRoot.activeElement.className") == "launcher"
    ctx.close()


def test_long_and_bad_input(browser, site):
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    open_widget(page, site)
    page.fill(f"{W} textarea", "高" * 800)
    assert len(page.input_value(f"{W} textarea")) == 500  # the widget caps it
    assert page.locator(f"{W} .count").inner_text() == "500/500"
    # the assistant refuses the same over its webhook, with a message the widget shows
    status, body = post(f"{site}/webhooks/widget/webhook", json.dumps({"sender": "w-long", "message": "高" * 501}).encode())
    assert status == 400 and "最多500字" in body["error"]
    for raw in (b"{", b"[]", json.dumps({"sender": "w-x", "message": "  "}).encode(),
                json.dumps({"sender": "../x", "message": "hi"}).encode()):
        status, body = post(f"{site}/webhooks/widget/webhook", raw)
        assert status == 400 and body["error"]
    # the network fails: a note, and what the user typed is back in the input
    page.route("**/webhooks/widget/webhook", lambda route: route.abort())
    page.fill(f"{W} textarea", "高企有什么奖励")
    page.press(f"{W} textarea", "Enter")
    page.wait_for_selector(f"{W} .msg.note")
    assert "没有发出" in page.locator(f"{W} .msg.note .bubble").last.inner_text()
    assert page.input_value(f"{W} textarea") == "高企有什么奖励"
    ctx.close()
