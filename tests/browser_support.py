"""Headless Chromium from Debian's packages, driven by Playwright (never `playwright install`:
scripts/install-browser puts /usr/bin/chromium, a CJK font and axe-core in place)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu", "--disable-quic"]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def require_browser():
    """The browser tests need what scripts/install-browser installs; `make test` runs it first."""
    missing = [what for what, ok in (("chromium", Path(CHROMIUM).exists()), ("axe-core", AXE.exists()),
                                     ("playwright", _has_playwright())) if not ok]
    if missing:
        pytest.fail("missing " + ", ".join(missing) + ": run scripts/install-browser (make test does)")


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
        return True
    except ImportError:
        return False


def launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def axe_violations(page, include: list[str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.x A/AA checks on the page as it is now (shadow DOM included)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    ctx = json.dumps({"include": include} if include else {"include": [["html"]]})
    result = page.evaluate(
        "async (ctx) => { const r = await axe.run(JSON.parse(ctx), {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}); "
        "return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})); }", ctx)
    return result


# The fixtures both browser test modules use (imported there by name).
@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(request):
    """The assistant's address: a server started for the tests (or HUIQI_TEST_SITE's, to iterate)."""
    return os.environ.get("HUIQI_TEST_SITE") or request.getfixturevalue("assistant").url
