"""The alternative driver: Selenium WebDriver, on a local ChromeDriver or a remote Grid.

Same protocol and same meaning as the Playwright driver (drivers.base), built only from what a
W3C WebDriver endpoint offers plus two Chrome extensions that a Selenium Grid forwards too:

- **Network and navigation** come from ChromeDriver's *performance log*
  (``goog:loggingPrefs``): the DevTools ``Network.*`` events feed the same ``NetworkLog`` as
  the Playwright driver's CDP session, and ``Network.requestWillBeSent`` (main-frame
  documents) / ``Page.loadEventFired`` drive the navigation counters that ``settle`` reads.
  The log is a buffer polled with ``get_log``, so events are read at every poll, not pushed.
- **Locating** by role and accessible name, label, text or placeholder is one in-page
  JavaScript resolver (``_RESOLVER_JS``) that mirrors Playwright's ``get_by_*`` engines:
  same implicit roles, same "case-insensitive substring unless exact" matching, same
  "innermost element" rule for text. Unlike Playwright's ``.first``, a target without ``nth``
  takes the first *visible* match (menus often repeat a link in a hidden mobile copy).
- **Evaluate** runs the expression with ``execute_async_script`` through an indirect
  ``eval``, so scripts are evaluated as programs exactly like Playwright's string evaluation
  (``axe.min.js + ";true"`` works), promises are awaited and the value crosses as JSON.
  ChromeDriver runs these scripts outside the page's Content-Security-Policy.
- **Screenshots** use ``Page.captureScreenshot`` (half scale, JPEG) through ChromeDriver's CDP
  endpoint; where a Grid refuses CDP commands, a PNG screenshot is scaled down with Pillow.

Selenium Manager never runs: the ChromeDriver path is always given explicitly.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    InvalidSelectorException,
    JavascriptException,
    MoveTargetOutOfBoundsException,
    NoSuchElementException,
    NoSuchWindowException,
    StaleElementReferenceException,
    TimeoutException,
    UnexpectedAlertPresentException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.command import Command
from selenium.webdriver.remote.file_detector import LocalFileDetector, UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

from auditor.browser import chromium_args
from auditor.drivers.base import NavigationFailed, StepFailed
from auditor.drivers.network_log import NetworkLog

# The settling constants are the Playwright driver's, so both drivers wait the same way.
from auditor.drivers.playwright_driver import (
    _CHROME_ERROR,
    _CHROME_ERROR_WORDS,
    NAVIGATION_GRACE_S,
    QUIET_CAP_S,
    QUIET_WINDOW_S,
    SCREENSHOT_QUALITY,
    SCREENSHOT_SCALE,
)
from auditor.journeys.schema import Target

#: How often a wait re-runs the resolver or re-reads the performance log. Each poll is one
#: WebDriver round trip (a few milliseconds on a local ChromeDriver).
POLL_S = 0.05
LOG_POLL_S = 0.02
#: In-page scripts (axe-core on a long page is the slowest) fail after this long.
SCRIPT_TIMEOUT_S = 120.0

HOW_TO_GET_CHROMEDRIVER = (
    "no ChromeDriver found: install the one matching your Chromium (Debian/Ubuntu: "
    "sudo apt-get install chromium-driver) or put chromedriver on PATH"
)

# Exceptions after which an action is retried until its timeout: the element is covered
# (a banner still fading out), re-rendered or not yet interactable.
_TRANSIENT = (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    MoveTargetOutOfBoundsException,
    NoSuchElementException,
)

# Playwright key names (https://playwright.dev/python/docs/api/class-keyboard#keyboard-press)
# mapped to WebDriver key codes; single characters are typed as they are.
_KEY_NAMES: dict[str, str] = {
    "Enter": Keys.ENTER, "Tab": Keys.TAB, "Escape": Keys.ESCAPE, "Backspace": Keys.BACKSPACE,
    "Delete": Keys.DELETE, "Insert": Keys.INSERT, "Space": " ",
    "ArrowDown": Keys.ARROW_DOWN, "ArrowUp": Keys.ARROW_UP, "ArrowLeft": Keys.ARROW_LEFT,
    "ArrowRight": Keys.ARROW_RIGHT, "Home": Keys.HOME, "End": Keys.END,
    "PageUp": Keys.PAGE_UP, "PageDown": Keys.PAGE_DOWN,
    "Shift": Keys.SHIFT, "Control": Keys.CONTROL, "Alt": Keys.ALT, "Meta": Keys.META,
    # Playwright's portable modifier; the browsers this tool drives run on Linux or Windows
    # far more often than macOS, where a Grid user can say "Meta" explicitly.
    "ControlOrMeta": Keys.CONTROL,
    **{f"F{n}": getattr(Keys, f"F{n}") for n in range(1, 13)},
}
_MODIFIERS = {Keys.SHIFT, Keys.CONTROL, Keys.ALT, Keys.META}

# Input types whose value a person picks rather than types: Playwright's fill sets them
# directly, and so do we (typing "2024-05-01" into a date field depends on the locale).
_SET_VALUE_TYPES = {"color", "date", "time", "datetime-local", "month", "range", "week"}
_UNFILLABLE_TYPES = {"checkbox", "radio", "file", "submit", "button", "image", "reset", "hidden"}

# ---------------------------------------------------------------------------------------------
# In-page scripts

# Finds the element a Target names. arguments[0] = {by, value, exact, nth, retarget}; returns
# null or the chosen element with what the caller needs to decide whether it is usable yet.
# The matching rules follow Playwright's injected selector engines (roleSelectorEngine,
# internal:label, internal:text, internal:attr) so a journey finds the same element with
# either driver; the accessible name is a pragmatic accname (no CSS generated content).
_RESOLVER_JS = r"""
const spec = arguments[0];
const norm = (s) => (s || "").replace(/[\u200b\u00ad]/g, "").trim().replace(/\s+/g, " ");
const matcher = (wanted) => {
  const w = norm(wanted);
  if (spec.exact) return (s) => norm(s) === w;
  const lw = w.toLowerCase();
  return (s) => norm(s).toLowerCase().includes(lw);
};
const styles = new Map();
const style = (el) => {
  if (!styles.has(el)) styles.set(el, getComputedStyle(el));
  return styles.get(el);
};
// Every element, open shadow roots included, in document order.
const everything = () => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
};
const byIds = (el, ids) => {
  const root = el.getRootNode && el.getRootNode().getElementById ? el.getRootNode() : document;
  return (ids || "").split(/\s+/).filter(Boolean).map((id) => root.getElementById(id))
    .filter(Boolean);
};
// Playwright's "visible": a non-empty box and not visibility:hidden (opacity does not count).
const visible = (el) => {
  const st = style(el);
  if (st.display === "contents") return Array.from(el.children).some(visible);
  if (el.checkVisibility && !el.checkVisibility()) return false;
  if (st.visibility !== "visible") return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const NOT_RENDERED = new Set(["STYLE", "SCRIPT", "NOSCRIPT", "TEMPLATE"]);
// Out of the accessibility tree: display:none, visibility:hidden, aria-hidden on the way up.
const hiddenForAria = (el) => {
  if (NOT_RENDERED.has(el.tagName.toUpperCase())) return true;
  const st = style(el);
  if (st.display === "contents") return false;
  const optionInSelect = el.tagName === "OPTION" && el.closest("select");
  if (!optionInSelect && ((el.checkVisibility && !el.checkVisibility()) ||
                          st.visibility !== "visible")) return true;
  for (let n = el; n; n = n.parentElement || (n.getRootNode && n.getRootNode().host)) {
    if (n.getAttribute && n.getAttribute("aria-hidden") === "true") return true;
  }
  return false;
};

// ---- roles (html-aam implicit roles, as Playwright's roleUtils computes them)
const INPUT_ROLES = { button: "button", checkbox: "checkbox", image: "button", number: "spinbutton",
  radio: "radio", range: "slider", reset: "button", submit: "button", file: "button" };
const LANDMARK_SCOPE = "article, aside, main, nav, section, [role=article], [role=complementary]," +
  " [role=main], [role=navigation], [role=region]";
const named = (e) => e.hasAttribute("aria-label") || e.hasAttribute("aria-labelledby");
const IMPLICIT = {
  A: (e) => e.hasAttribute("href") ? "link" : null,
  AREA: (e) => e.hasAttribute("href") ? "link" : null,
  ARTICLE: "article", ASIDE: "complementary", BLOCKQUOTE: "blockquote", BUTTON: "button",
  CAPTION: "caption", CODE: "code", DATALIST: "listbox", DD: "definition", DEL: "deletion",
  DETAILS: "group", DFN: "term", DIALOG: "dialog", DT: "term", EM: "emphasis",
  FIELDSET: "group", FIGURE: "figure",
  FOOTER: (e) => e.parentElement && e.parentElement.closest(LANDMARK_SCOPE) ? null : "contentinfo",
  FORM: (e) => named(e) ? "form" : null,
  H1: "heading", H2: "heading", H3: "heading", H4: "heading", H5: "heading", H6: "heading",
  HEADER: (e) => e.parentElement && e.parentElement.closest(LANDMARK_SCOPE) ? null : "banner",
  HR: "separator", HTML: "document",
  IMG: (e) => e.getAttribute("alt") === "" && !e.getAttribute("title") ? "presentation" : "img",
  INPUT: (e) => {
    const type = (e.type || "").toLowerCase();
    if (["email", "search", "tel", "text", "url", ""].includes(type)) {
      if (e.list) return "combobox";
      return type === "search" ? "searchbox" : "textbox";
    }
    if (type === "hidden") return null;
    return INPUT_ROLES[type] || "textbox";
  },
  INS: "insertion", LI: "listitem", MAIN: "main", MARK: "mark", MENU: "list", METER: "meter",
  NAV: "navigation", OL: "list", OPTGROUP: "group", OPTION: "option", OUTPUT: "status",
  P: "paragraph", PROGRESS: "progressbar", SEARCH: "search",
  SECTION: (e) => named(e) ? "region" : null,
  SELECT: (e) => e.multiple || e.size > 1 ? "listbox" : "combobox",
  STRONG: "strong", SUB: "subscript", SUP: "superscript", SVG: "img", TABLE: "table",
  TBODY: "rowgroup", TD: "cell", TEXTAREA: "textbox", TFOOT: "rowgroup", TH: "columnheader",
  THEAD: "rowgroup", TIME: "time", TR: "row", UL: "list",
};
const roleOf = (el) => {
  const explicit = (el.getAttribute("role") || "").trim().split(/\s+/)[0];
  if (explicit) return explicit.toLowerCase();
  const rule = IMPLICIT[el.tagName.toUpperCase()];
  const role = typeof rule === "function" ? rule(el) : rule;
  if (role) return role;
  // A rich-text editor's root is exposed as a text box by Chromium's accessibility tree.
  if (el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) {
    return "textbox";
  }
  return null;
};

// ---- accessible name (accname 1.2 order: labelledby, label, native, content, title)
const FROM_CONTENT = new Set(["button", "cell", "checkbox", "columnheader", "gridcell", "heading",
  "link", "menuitem", "menuitemcheckbox", "menuitemradio", "option", "radio", "row", "rowheader",
  "switch", "tab", "tooltip", "treeitem"]);
const LABELABLE = new Set(["BUTTON", "INPUT", "METER", "OUTPUT", "PROGRESS", "SELECT", "TEXTAREA"]);
const contentText = (root, includeHidden, skip) => {
  let out = "";
  const visit = (node) => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) { out += c.nodeValue; continue; }
      if (c.nodeType !== 1 || c === skip || NOT_RENDERED.has(c.tagName.toUpperCase())) continue;
      if (!includeHidden && hiddenForAria(c)) continue;
      const block = style(c).display !== "inline";
      const tag = c.tagName.toUpperCase();
      const aria = c.getAttribute("aria-label");
      if (block) out += " ";
      if (aria && aria.trim()) out += aria;
      else if (tag === "IMG") out += c.getAttribute("alt") || "";
      else if (tag === "TEXTAREA") out += c.value;
      else if (tag === "SELECT") out += Array.from(c.selectedOptions).map((o) => o.label).join(" ");
      else if (tag === "INPUT") {
        if (!["checkbox", "radio", "file", "hidden", "image"].includes(c.type)) out += c.value;
      } else visit(c.shadowRoot || c);
      if (block) out += " ";
    }
  };
  visit(root);
  return out;
};
const accessibleName = (el, role) => {
  const refs = byIds(el, el.getAttribute("aria-labelledby"));
  if (refs.length) {
    const t = refs.map((r) => contentText(r, true)).join(" ");
    if (norm(t)) return t;
  }
  const aria = el.getAttribute("aria-label");
  if (aria && aria.trim()) return aria;
  const tag = el.tagName.toUpperCase();
  if (tag === "INPUT") {
    const type = (el.type || "").toLowerCase();
    if (["submit", "reset", "button"].includes(type)) {
      return el.value || (type === "submit" ? "Submit" : type === "reset" ? "Reset" : "");
    }
    if (type === "image") return el.alt || el.value || "Submit";
  }
  if (LABELABLE.has(tag) && el.labels && el.labels.length) {
    const t = Array.from(el.labels).map((l) => contentText(l, false, el)).join(" ");
    if (norm(t)) return t;
  }
  if ((tag === "IMG" || tag === "AREA") && el.getAttribute("alt")) return el.getAttribute("alt");
  const caption = { FIELDSET: "legend", FIGURE: "figcaption", TABLE: "caption" }[tag];
  if (caption) {
    const c = el.querySelector(":scope > " + caption);
    if (c && norm(contentText(c, false))) return contentText(c, false);
  }
  if (tag === "SVG") {
    const t = el.querySelector(":scope > title");
    if (t && norm(t.textContent)) return t.textContent;
  }
  if (FROM_CONTENT.has(role)) {
    const t = contentText(el, false);
    if (norm(t)) return t;
  }
  const title = el.getAttribute("title");
  if (title && title.trim()) return title;
  if ((tag === "INPUT" || tag === "TEXTAREA") && el.getAttribute("placeholder")) {
    return el.getAttribute("placeholder");
  }
  return "";
};

// ---- text as Playwright's get_by_text reads it: text nodes, hidden ones included
const texts = new Map();
const skipText = (el) => ["SCRIPT", "NOSCRIPT", "STYLE"].includes(el.nodeName) ||
  (document.head && document.head.contains(el));
const elementText = (node) => {
  if (texts.has(node)) return texts.get(node);
  let full = "";
  if (node.nodeType === 1 && skipText(node)) full = "";
  else if (node.nodeType === 1 && node.tagName === "INPUT" &&
           ["submit", "button", "reset"].includes(node.type)) full = node.value;
  else {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) full += c.nodeValue || "";
      else if (c.nodeType === 1) full += elementText(c);
    }
    if (node.shadowRoot) full += elementText(node.shadowRoot);
  }
  texts.set(node, full);
  return full;
};
// Labels as Playwright's get_by_label reads them: aria-labelledby, else aria-label, else <label>.
const labelsOf = (el) => {
  const refs = byIds(el, el.getAttribute("aria-labelledby"));
  if (refs.length) return refs.map(elementText);
  const aria = el.getAttribute("aria-label");
  if (aria !== null && aria.trim()) return [aria];
  const tag = el.tagName.toUpperCase();
  const labelable = ["BUTTON", "METER", "OUTPUT", "PROGRESS", "SELECT", "TEXTAREA"].includes(tag) ||
    (tag === "INPUT" && el.type !== "hidden");
  return labelable && el.labels ? Array.from(el.labels).map(elementText) : [];
};

// ---- the query
let found = [];
if (spec.by === "css") {
  found = Array.from(document.querySelectorAll(spec.value));
  for (const el of everything()) {
    if (el.shadowRoot) found.push(...el.shadowRoot.querySelectorAll(spec.value));
  }
} else if (spec.by === "role") {
  const wantRole = spec.value.toLowerCase();
  const nameMatches = spec.name === null ? null : matcher(spec.name);
  found = everything().filter((el) => roleOf(el) === wantRole && !hiddenForAria(el) &&
    (nameMatches === null || nameMatches(accessibleName(el, wantRole))));
} else if (spec.by === "label") {
  const m = matcher(spec.value);
  found = everything().filter((el) => labelsOf(el).some(m));
} else if (spec.by === "placeholder") {
  const m = matcher(spec.value);
  found = everything().filter((el) => el.hasAttribute("placeholder") &&
    m(el.getAttribute("placeholder")));
} else if (spec.by === "text") {
  // The innermost elements whose text matches (an ancestor matching only through one of its
  // children is left out), as Playwright's text engine does.
  const m = matcher(spec.value);
  let lastMiss = null;
  for (const el of everything()) {
    if (!spec.exact && lastMiss && lastMiss.contains(el)) continue;
    if (skipText(el) || !m(elementText(el))) { lastMiss = el; continue; }
    let viaChild = false;
    for (let c = el.firstElementChild; c && !viaChild; c = c.nextElementSibling) {
      viaChild = m(elementText(c));
    }
    if (!viaChild && el.shadowRoot) viaChild = m(elementText(el.shadowRoot));
    if (!viaChild) found.push(el);
  }
}
const count = found.length;
let el = spec.nth !== null ? found[spec.nth] : (found.find(visible) || found[0]);
if (!el) return null;
// Like Playwright's "follow-label" retargeting: acting on a label acts on its control.
const CONTROLS = "input, textarea, select, button, [role=checkbox], [role=radio]";
if (spec.retarget && !el.matches(CONTROLS) && !el.isContentEditable) {
  const label = el.closest("label");
  if (label && label.control) el = label.control;
}
const tag = el.tagName.toLowerCase();
const type = tag === "input" ? (el.type || "text").toLowerCase() : "";
const role = roleOf(el);
let checked = null;
if (tag === "input" && (type === "checkbox" || type === "radio")) checked = el.checked;
else if (["checkbox", "radio", "switch", "menuitemcheckbox", "menuitemradio"].includes(role)) {
  checked = el.getAttribute("aria-checked") === "true";
}
return {
  el, count, tag, type,
  rich: el.isContentEditable && tag !== "input" && tag !== "textarea",
  visible: visible(el),
  // Visually hidden (1 px, clipped, transparent): what a person clicks is its label.
  tiny: (() => { const r = el.getBoundingClientRect();
    return r.width <= 2 || r.height <= 2 || style(el).opacity === "0"; })(),
  disabled: el.matches(":disabled") || !!el.closest("[aria-disabled=true]"),
  readonly: (tag === "input" || tag === "textarea") ? el.readOnly
    : el.getAttribute("aria-readonly") === "true",
  checkable: checked !== null,
  checked,
  radio: type === "radio" || role === "radio" || role === "menuitemradio",
  label: el.labels ? (Array.from(el.labels).find(visible) || null) : null,
};
"""

# Runs a JavaScript program (arguments[0]) like Playwright's string evaluation: indirect eval
# gives the program's completion value in the page's global scope, the promise is awaited and
# the value comes back as JSON text (the same values Playwright returns, and no WebDriver
# element conversion on the way).
_EVALUATE_JS = r"""
const done = arguments[arguments.length - 1];
const fail = (e) => done({__auditorError: String(e && e.message !== undefined ?
  (e.name && e.name !== "Error" ? e.name + ": " : "") + e.message : e)});
let value;
try { value = (0, eval)(arguments[0]); } catch (e) { fail(e); return; }
Promise.resolve(value).then((v) => {
  let text;
  try { text = JSON.stringify(v === undefined ? null : v); } catch (e) { fail(e); return; }
  done(text === undefined ? "null" : text);
}, fail);
"""

# Empties a text field by selecting its content, so the deletion is a key press a page's
# listeners see, not a value reset behind their back (React ignores the latter).
_SELECT_FIELD_JS = r"""
const e = arguments[0];
e.focus();
if (!e.value) return "empty";
try { e.select(); } catch (x) { return "unselectable"; }
return e.selectionStart === 0 && e.selectionEnd === e.value.length ? "selected" : "unselectable";
"""
_SELECT_CONTENTS_JS = r"""
const e = arguments[0];
e.focus();
const range = document.createRange();
range.selectNodeContents(e);
const sel = window.getSelection();
sel.removeAllRanges();
sel.addRange(range);
"""
_SET_VALUE_JS = r"""
const e = arguments[0], v = arguments[1];
e.focus();
e.value = v;
e.dispatchEvent(new Event("input", {bubbles: true}));
e.dispatchEvent(new Event("change", {bubbles: true}));
return e.value === v;
"""
# The option a ``select`` step names: by its label first, then by its value, as Playwright's
# select_option. Then, for a <select> a person cannot click (a custom widget hides it), the
# choice made as a script, with the events a real choice fires.
_FIND_OPTION_JS = r"""
const options = Array.from(arguments[0].options), want = arguments[1];
return options.find((o) => o.label.trim() === want) || options.find((o) => o.value === want) ||
  null;
"""
_CHOOSE_OPTION_JS = r"""
const s = arguments[0];
arguments[1].selected = true;
s.dispatchEvent(new Event("input", {bubbles: true}));
s.dispatchEvent(new Event("change", {bubbles: true}));
"""
_SCROLL_DOWN_JS = ("const h = document.documentElement.scrollHeight;"
                   " if (h <= window.innerHeight + 2) return false;"
                   " window.scrollTo(0, h); return true;")


def _short(error: BaseException) -> str:
    """One line out of a WebDriver error: no stack trace, session info or 'Message:' prefix."""
    text = str(getattr(error, "msg", None) or error).strip()
    kept = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("Stacktrace:", "JavaScript stack:", "(Session info", "Build info",
                            "System info", "Driver info", "#0 ")):
            break
        if line:
            kept.append(line)
    first = " ".join(kept) or type(error).__name__
    return re.sub(r"^(Message:\s*)?((unknown|javascript) error:\s*)?", "", first)


def _glob_to_regex(glob: str) -> str:
    """Playwright's URL glob (``**`` any characters, ``*`` no slash, ``{a,b}``) as a regex.

    A port of ``globToRegexPattern`` in Playwright's isomorphic/urlMatch.ts: the pattern must
    match the whole URL, and ``?`` is a literal question mark (query strings are common).
    """
    tokens = ["^"]
    in_group = False
    i = 0
    while i < len(glob):
        char = glob[i]
        if char == "\\" and i + 1 < len(glob):
            tokens.append(re.escape(glob[i + 1]))
            i += 2
            continue
        if char == "*":
            before = glob[i - 1] if i > 0 else ""
            stars = 1
            while i + 1 < len(glob) and glob[i + 1] == "*":
                stars += 1
                i += 1
            if stars > 1:
                after = glob[i + 1] if i + 1 < len(glob) else ""
                if after == "/":
                    tokens.append("((.+/)|)" if before == "/" else "(.*/)")
                    i += 1
                else:
                    tokens.append("(.*)")
            else:
                tokens.append("([^/]*)")
        elif char == "{":
            in_group = True
            tokens.append("(")
        elif char == "}" and in_group:
            in_group = False
            tokens.append(")")
        elif char == "," and in_group:
            tokens.append("|")
        else:
            tokens.append(re.escape(char))
        i += 1
    tokens.append("$")
    return "".join(tokens)


def url_matcher(pattern: str) -> Callable[[str], bool]:
    """A ``wait_for: {url}`` pattern: ``/regex/`` (searched) or a glob (whole URL)."""
    try:
        if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
            searched = re.compile(pattern[1:-1])
            return lambda url: searched.search(url) is not None
        regex = re.compile(_glob_to_regex(pattern))
    except re.error as exc:
        raise StepFailed(f"invalid URL pattern {pattern}: {exc}") from None
    return lambda url: regex.match(url) is not None


def _key_sequence(key: str) -> tuple[list[str], str]:
    """A Playwright key (``Enter``, ``Shift+Tab``, ``a``) as (modifiers, key) WebDriver codes."""
    parts = re.split(r"\+(?=.)", key)
    codes = []
    for part in parts:
        if part in _KEY_NAMES:
            codes.append(_KEY_NAMES[part])
        elif len(part) == 1:
            codes.append(part)
        elif re.fullmatch(r"Key[A-Z]", part):
            codes.append(part[-1].lower())
        elif re.fullmatch(r"Digit[0-9]", part):
            codes.append(part[-1])
        else:
            raise StepFailed(f"press: unknown key '{part}' (use Playwright key names such as "
                             f"Enter, Tab, Escape, ArrowDown, Shift+Tab)")
    *modifiers, main = codes
    if any(m not in _MODIFIERS for m in modifiers):
        raise StepFailed(f"press: '{key}': only Shift, Control, Alt and Meta can be combined")
    return modifiers, main


def _basic_multilingual(text: str) -> bool:
    """ChromeDriver types only characters of the Basic Multilingual Plane (no emoji)."""
    return all(ord(c) <= 0xFFFF for c in text)


class SeleniumDriver:
    """A Driver (see drivers.base) backed by Selenium: a local ChromeDriver or a remote Grid."""

    def __init__(self, executable_path: str | None, *, width: int = 1920, height: int = 1080,
                 locale: str = "", host_resolver_rules: str = "", headless: bool = True,
                 grid_url: str | None = None, chromedriver_path: str | None = None) -> None:
        """Start a browser session.

        Locally, ``executable_path`` is the Chromium to drive (None: ChromeDriver's default
        Chrome) and ``chromedriver_path`` the ChromeDriver (None: PATH, then
        /usr/bin/chromedriver); it must match the browser's major version. With ``grid_url``
        the Grid (or any W3C WebDriver endpoint) picks the node's Chrome; both paths are
        ignored. Raises StepFailed with one line when no session can be started.
        """
        # Belt and braces: every path below is explicit, so Selenium Manager has nothing to
        # look up; offline, it could not download anything even if a code path asked it to.
        os.environ.setdefault("SE_OFFLINE", "true")
        options = self._options(executable_path, width, height, locale, host_resolver_rules,
                                headless, remote=grid_url is not None)
        self._remote = grid_url is not None
        if grid_url is not None:
            self._driver: Any = self._start_remote(grid_url, options)
        else:
            self._driver = self._start_local(executable_path, chromedriver_path, options)
        self.network = NetworkLog()
        self._loads = 0
        self._nav_requests = 0
        self._nav_since_load = 0
        self._mark: tuple[int, int] | None = None
        self._doc_status: int | None = None
        self._page_load_timeout: float | None = None
        self._perf_log = True  # the performance log answers (set False if it does not)
        self._log_entries = 0
        self._cdp: bool | None = None  # CDP commands answer: unknown until the first try
        self._last_url = ""
        self._doc_origin: Any = None  # fallback navigation mark without a performance log
        try:
            self._driver.set_script_timeout(SCRIPT_TIMEOUT_S)
            # The main frame's DevTools id is the window handle: performance-log events from
            # other targets (out-of-process iframes, workers) are left out, as in Playwright.
            self._target: str = str(self._driver.current_window_handle)
            self._viewport = self._fit_viewport(width, height)
            caps = self._driver.capabilities or {}
            self.browser_version = str(caps.get("browserVersion") or caps.get("version") or "")
            self.driver_name = "selenium-grid" if grid_url else "selenium"
            self._pump()
        except WebDriverException as exc:
            self.close()
            raise StepFailed(f"the browser session did not start: {_short(exc)}") from None
        if self._remote:
            # A Grid node is another machine: upload files through the Grid. A bare
            # ChromeDriver has no upload endpoint; ``upload`` then falls back to the path.
            self._driver.file_detector = LocalFileDetector()

    # start ------------------------------------------------------------------------------

    @staticmethod
    def _options(executable_path: str | None, width: int, height: int, locale: str,
                 host_resolver_rules: str, headless: bool, *, remote: bool) -> Any:
        options = webdriver.ChromeOptions()
        if executable_path and not remote:
            options.binary_location = executable_path
        for arg in chromium_args(host_resolver_rules):
            options.add_argument(arg)
        if headless:
            options.add_argument("--headless=new")
        # Playwright passes this one by default; without it Chromium crashes on the small
        # /dev/shm of containers (Grid nodes, CI runners).
        options.add_argument("--disable-dev-shm-usage")
        options.add_argument(f"--window-size={width},{height}")
        # No downloads, as Playwright's accept_downloads=False: a journey audits pages.
        prefs: dict[str, Any] = {"download_restrictions": 3}
        if locale:
            options.add_argument(f"--lang={locale}")
            prefs["intl.accept_languages"] = locale
        options.add_experimental_option("prefs", prefs)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        options.add_experimental_option("perfLoggingPrefs",
                                        {"enableNetwork": True, "enablePage": True})
        options.page_load_strategy = "normal"
        # Playwright dismisses dialogs nobody handles; an open alert would block every command.
        options.unhandled_prompt_behavior = "dismiss"
        return options

    @staticmethod
    def _start_local(executable_path: str | None, chromedriver_path: str | None,
                     options: Any) -> Any:
        path = chromedriver_path or shutil.which("chromedriver") or "/usr/bin/chromedriver"
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            if chromedriver_path:
                raise StepFailed(f"ChromeDriver {chromedriver_path}: not an executable file; "
                                 + HOW_TO_GET_CHROMEDRIVER.removeprefix("no ChromeDriver found: "))
            raise StepFailed(HOW_TO_GET_CHROMEDRIVER)
        service = Service(executable_path=path, log_output=subprocess.DEVNULL)
        try:
            return webdriver.Chrome(options=options, service=service)
        except WebDriverException as exc:
            browser = executable_path or "the default Chrome"
            raise StepFailed(f"cannot start the browser {browser} with ChromeDriver {path}: "
                             f"{_short(exc)}") from None

    @staticmethod
    def _start_remote(grid_url: str, options: Any) -> Any:
        try:
            return webdriver.Remote(command_executor=grid_url, options=options)
        except WebDriverException as exc:
            raise StepFailed(f"the Selenium Grid at {grid_url} could not start a Chrome "
                             f"session: {_short(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - urllib3 errors: the Grid is not reachable
            reason = str(exc)
            if "refused" in reason.lower():
                reason = "connection refused (is the Grid running?)"
            elif "name or service not known" in reason.lower() or "getaddrinfo" in reason:
                reason = "host name not found"
            else:
                reason = reason.splitlines()[0][:200] if reason else type(exc).__name__
            raise StepFailed(f"cannot reach the Selenium Grid at {grid_url}: {reason}") from None

    def _fit_viewport(self, width: int, height: int) -> tuple[int, int]:
        """Make the page area (not the window) width x height, as Playwright's viewport is.

        A window's outer size includes its frame (143 px of height in headless Chromium);
        measuring the difference once and resizing works on any WebDriver, no emulation.
        """
        inner = self._driver.execute_script("return [window.innerWidth, window.innerHeight]")
        extra_w, extra_h = width - int(inner[0]), height - int(inner[1])
        if extra_w or extra_h:
            size = self._driver.get_window_size()
            self._driver.set_window_size(int(size["width"]) + extra_w,
                                         int(size["height"]) + extra_h)
            inner = self._driver.execute_script(
                "return [window.innerWidth, window.innerHeight]")
        return int(inner[0]), int(inner[1])

    # events -----------------------------------------------------------------------------

    def _pump(self) -> None:
        """Read the performance log: network entries and navigation counters."""
        if not self._perf_log:
            return
        try:
            entries = self._driver.execute(Command.GET_LOG, {"type": "performance"})["value"]
        except WebDriverException:
            self._perf_log = False  # a Grid that drops goog:loggingPrefs: no network figures
            return
        network = self.network
        self._log_entries += len(entries)
        for entry in entries:
            try:
                outer = json.loads(entry["message"])
                message = outer["message"]
                method = message["method"]
            except (KeyError, TypeError, ValueError):
                continue
            webview = outer.get("webview")
            if webview and webview != self._target:
                continue
            params = message.get("params") or {}
            main_document = (params.get("type") == "Document"
                             and params.get("frameId") == self._target)
            if method == "Network.requestWillBeSent":
                if main_document:
                    self._nav_requests += 1
                    self._nav_since_load += 1
                network.on_request(params)
            elif method == "Network.responseReceived":
                if main_document:
                    self._doc_status = (params.get("response") or {}).get("status")
                network.on_response(params)
            elif method == "Network.requestServedFromCache":
                network.on_cached(params)
            elif method == "Network.dataReceived":
                network.on_data(params)
            elif method == "Network.loadingFinished":
                network.on_finished(params)
            elif method == "Network.loadingFailed":
                network.on_failed(params)
            elif method == "Page.loadEventFired":
                self._loads += 1
                self._nav_since_load = 0

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)
        self._pump()

    # locating ---------------------------------------------------------------------------

    @staticmethod
    def _spec(target: Target, retarget: bool) -> dict[str, Any]:
        if target.role is not None:
            by, value = "role", target.role
        elif target.label is not None:
            by, value = "label", target.label
        elif target.text is not None:
            by, value = "text", target.text
        elif target.placeholder is not None:
            by, value = "placeholder", target.placeholder
        else:
            by, value = "css", target.css or ""
        return {"by": by, "value": value, "name": target.name, "exact": target.exact,
                "nth": target.nth, "retarget": retarget}

    def _find(self, what: str, target: Target, timeout_s: float,
              usable: Callable[[dict[str, Any]], bool], retarget: bool = False,
              stated_timeout_s: float | None = None) -> dict[str, Any]:
        """Wait until the target exists and ``usable`` accepts it; the resolver's answer."""
        spec = self._spec(target, retarget)
        stated = timeout_s if stated_timeout_s is None else stated_timeout_s

        def probe(_driver: Any) -> dict[str, Any] | Literal[False]:
            try:
                found = self._driver.execute_script(_RESOLVER_JS, spec)
            except (InvalidSelectorException, JavascriptException) as exc:
                text = _short(exc)
                if "valid selector" in text or isinstance(exc, InvalidSelectorException):
                    raise StepFailed(f"{what}: {target.describe()}: invalid selector") from None
                return False  # the document went away under the script: look again
            except (NoSuchWindowException, UnexpectedAlertPresentException):
                return False
            return found if isinstance(found, dict) and usable(found) else False

        try:
            result: dict[str, Any] = WebDriverWait(
                self._driver, max(timeout_s, 0.001), poll_frequency=POLL_S,
                ignored_exceptions=(StaleElementReferenceException,)).until(probe)
        except TimeoutException:
            raise StepFailed(f"{what}: {target.describe()} not found or not usable after "
                             f"{stated:g} s") from None
        except WebDriverException as exc:
            raise StepFailed(f"{what}: {target.describe()}: {_short(exc)}") from None
        return result

    def _act(self, what: str, target: Target, timeout_s: float,
             usable: Callable[[dict[str, Any]], bool],
             action: Callable[[dict[str, Any]], None], retarget: bool = False) -> None:
        """Find, then act; an action that meets a covered or re-rendered element is retried
        with a fresh look-up until the step's timeout, as Playwright's actionability does."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = self._find(what, target, max(deadline - time.monotonic(), 0.0), usable,
                               retarget, stated_timeout_s=timeout_s)
            try:
                action(found)
                return
            except _TRANSIENT as exc:
                if time.monotonic() >= deadline:
                    raise StepFailed(f"{what}: {target.describe()} not found or not usable "
                                     f"after {timeout_s:g} s ({_short(exc)})") from None
                if isinstance(exc, ElementClickInterceptedException):
                    # Covered by a sticky header or banner: bring it to the middle and retry.
                    self._script("arguments[0].scrollIntoView({block: 'center'})", found["el"])
                time.sleep(POLL_S)
            except StepFailed:
                raise
            except TimeoutException:
                raise self._load_timeout() from None
            except WebDriverException as exc:
                raise StepFailed(f"{what}: {target.describe()}: {_short(exc)}") from None

    def _load_timeout(self) -> NavigationFailed:
        """ChromeDriver waits for the navigation an action starts, up to the page-load
        timeout; when that runs out, the action's page never finished loading."""
        self._stop_loading()
        limit = self._page_load_timeout
        return NavigationFailed(f"{self.url} did not finish loading" + (
            f" within {limit:g} s" if limit is not None else ""))

    def _script(self, script: str, *args: Any) -> Any:
        """A short synchronous helper script; errors surface as WebDriver exceptions."""
        return self._driver.execute_script(script, *args)

    # actions ----------------------------------------------------------------------------

    def goto(self, url: str, timeout_s: float) -> None:
        if self._page_load_timeout != timeout_s:
            self._driver.set_page_load_timeout(timeout_s)
            self._page_load_timeout = timeout_s
        self._pump()
        self._doc_status = None
        try:
            self._driver.get(url)
        except TimeoutException:
            self._stop_loading()
            raise NavigationFailed(f"{url} did not finish loading within {timeout_s:g} s"
                                   ) from None
        except WebDriverException as exc:
            match = _CHROME_ERROR.search(str(exc))
            reason = (_CHROME_ERROR_WORDS.get(match.group(1), match.group(1)) if match
                      else _short(exc))
            raise NavigationFailed(f"cannot reach {url}: {reason}") from None
        self._pump()
        if self._log_entries == 0:
            self._check_log()
        if self._doc_status is not None and self._doc_status >= 400:
            raise NavigationFailed(f"{url} answered HTTP {self._doc_status}")

    def _check_log(self) -> None:
        """A page has loaded and the performance log said nothing: this Grid drops
        ``goog:loggingPrefs``. Navigations are then told apart by ``performance.timeOrigin``
        and the network log stays empty (there is no other source for it over WebDriver)."""
        deadline = time.monotonic() + 0.5
        while self._perf_log and self._log_entries == 0 and time.monotonic() < deadline:
            self._sleep(LOG_POLL_S)
        if self._log_entries == 0:
            self._perf_log = False

    def _stop_loading(self) -> None:
        """After a page-load timeout, stop the page so later commands are not blocked by it."""
        try:
            self._script("window.stop()")
        except WebDriverException:
            pass

    def click(self, target: Target, timeout_s: float) -> None:
        self._act("click", target, timeout_s,
                  lambda f: bool(f["visible"]) and not f["disabled"],
                  lambda f: f["el"].click())

    def fill(self, target: Target, value: str, timeout_s: float) -> None:
        def usable(found: dict[str, Any]) -> bool:
            return bool(found["visible"]) and not found["disabled"] and not found["readonly"]

        def do(found: dict[str, Any]) -> None:
            el, tag, kind = found["el"], found["tag"], found["type"]
            if found["rich"]:
                # Rich-text editors (ProseMirror/TipTap, Quill, CKEditor 5) listen to the
                # keyboard: click in, select everything, delete it, type, like a person.
                el.click()
                self._script(_SELECT_CONTENTS_JS, el)
                ActionChains(self._driver).send_keys(Keys.DELETE).perform()
                if value and _basic_multilingual(value):
                    ActionChains(self._driver).send_keys(value).perform()
                elif value:
                    self._script("document.execCommand('insertText', false, arguments[0])",
                                 value)
                return
            if tag not in ("input", "textarea"):
                raise StepFailed(f"fill: {target.describe()}: element is not an <input>, "
                                 f"<textarea> or [contenteditable] element")
            if kind in _UNFILLABLE_TYPES:
                raise StepFailed(f'fill: {target.describe()}: input of type "{kind}" cannot '
                                 f"be filled")
            if kind in _SET_VALUE_TYPES:
                if not self._script(_SET_VALUE_JS, el, value):
                    raise StepFailed(f"fill: {target.describe()}: malformed value for a "
                                     f"{kind} field: {value!r}")
                return
            text = value.replace("\r", "").replace("\n", "") if tag == "input" else value
            state = self._script(_SELECT_FIELD_JS, el)
            if state == "unselectable":
                el.clear()
            # send_keys types like a person: maxlength truncates, key listeners fire. The
            # selected old value is replaced by the first key typed (or deleted).
            if not _basic_multilingual(text):
                if state == "selected":
                    el.send_keys(Keys.BACKSPACE)
                self._script("arguments[0].focus();"
                             " document.execCommand('insertText', false, arguments[1])",
                             el, text)
            elif text:
                el.send_keys(text)
            elif state == "selected":
                el.send_keys(Keys.BACKSPACE)

        self._act("fill", target, timeout_s, usable, do, retarget=True)

    def select(self, target: Target, option: str, timeout_s: float) -> None:
        def usable(found: dict[str, Any]) -> bool:
            # Waits for the option too, as Playwright's select_option does (lists that are
            # filled by a request after the page loads).
            if found["tag"] != "select":
                return True  # ``do`` says why it cannot be used
            if found["disabled"]:
                return False
            found["option"] = self._script(_FIND_OPTION_JS, found["el"], option)
            return found["option"] is not None

        def do(found: dict[str, Any]) -> None:
            if found["tag"] != "select":
                raise StepFailed(f"select: {target.describe()}: element is not a <select> "
                                 f"element")
            choice = found["option"]
            if found["visible"]:
                # Clicking the option is how WebDriver chooses like a person (Selenium's
                # Select helper does the same, in more round trips); the page gets the
                # input and change events of a real choice.
                if not choice.is_selected():
                    choice.click()
                return
            # A select hidden behind a custom widget cannot be clicked: set it as a script.
            self._script(_CHOOSE_OPTION_JS, found["el"], choice)

        self._act("select", target, timeout_s, usable, do, retarget=True)

    def check(self, target: Target, checked: bool, timeout_s: float) -> None:
        def usable(found: dict[str, Any]) -> bool:
            # A custom checkbox hides its input and styles the label: usable via the label.
            return not found["disabled"] and (bool(found["visible"]) or found["label"] is not None
                                              or not found["checkable"])

        def do(found: dict[str, Any]) -> None:
            el = found["el"]
            if not found["checkable"]:
                raise StepFailed(f"check: {target.describe()}: not a checkbox or radio button")
            if found["checked"] == checked:
                return
            if not checked and found["radio"]:
                raise StepFailed(f"check: {target.describe()}: cannot uncheck a radio button")
            label = found["label"]
            if label is not None and (found["tiny"] or not found["visible"]):
                label.click()
            else:
                try:
                    el.click()
                except (ElementClickInterceptedException, ElementNotInteractableException):
                    if label is None:
                        raise
                    label.click()
            now = self._script(
                "const e = arguments[0]; return e.matches('input') ? e.checked :"
                " e.getAttribute('aria-checked') === 'true'", el)
            if bool(now) != checked:
                raise StepFailed(f"check: {target.describe()}: clicking did not change its "
                                 f"state")

        self._act("check", target, timeout_s, usable, do, retarget=True)

    def upload(self, target: Target, file: Path, timeout_s: float) -> None:
        path = str(file.resolve())

        def do(found: dict[str, Any]) -> None:
            if found["type"] != "file":
                raise StepFailed(f"upload: {target.describe()}: not an <input type=file>")
            try:
                found["el"].send_keys(path)
            except WebDriverException as exc:
                if not self._remote or isinstance(self._driver.file_detector,
                                                  UselessFileDetector):
                    raise
                # No upload endpoint (a bare ChromeDriver used as "Grid"): the browser runs
                # where the file is, so the local path is what it needs.
                if "unknown command" not in str(exc).lower() and \
                        "not found" not in str(exc).lower():
                    raise
                self._driver.file_detector = UselessFileDetector()
                found["el"].send_keys(path)

        self._act("upload", target, timeout_s, lambda f: not f["disabled"], do, retarget=True)

    def press(self, key: str, target: Target | None, timeout_s: float) -> None:
        modifiers, main = _key_sequence(key)

        def keys() -> None:
            chain = ActionChains(self._driver)
            for modifier in modifiers:
                chain.key_down(modifier)
            chain.send_keys(main)
            for modifier in reversed(modifiers):
                chain.key_up(modifier)
            chain.perform()

        if target is not None:
            def do(found: dict[str, Any]) -> None:
                self._script("arguments[0].focus()", found["el"])
                keys()
            self._act("press", target, timeout_s, lambda f: True, do)
            return
        try:
            keys()
        except TimeoutException:
            raise self._load_timeout() from None
        except WebDriverException as exc:
            raise StepFailed(f"press {key}: {_short(exc)}") from None

    def wait_for_url(self, pattern: str, timeout_s: float) -> None:
        matches = url_matcher(pattern)
        deadline = time.monotonic() + timeout_s
        while not matches(self.url):
            if time.monotonic() > deadline:
                raise StepFailed(f"the address never matched {pattern} within {timeout_s:g} s "
                                 f"(it is {self.url})")
            self._sleep(POLL_S)
        # Like Playwright's wait_until="load": the matching document has finished loading.
        while time.monotonic() < deadline:
            try:
                if self._script("return document.readyState") == "complete":
                    return
            except WebDriverException:
                pass
            self._sleep(POLL_S)

    def wait_for_text(self, text: str, timeout_s: float) -> None:
        try:
            self._find("wait for", Target(text=text), timeout_s, lambda f: bool(f["visible"]))
        except StepFailed as exc:
            if "not found or not usable" in str(exc):
                raise StepFailed(f"text '{text}' did not appear within {timeout_s:g} s"
                                 ) from None
            raise

    def wait_for_element(self, target: Target, timeout_s: float) -> None:
        self._find("wait for", target, timeout_s, lambda f: bool(f["visible"]))

    # settling ---------------------------------------------------------------------------

    def begin_action(self) -> None:
        """Remember the navigation counters before an action (the log is read first, so that
        earlier events are not taken for the action's)."""
        self._pump()
        self._mark = (self._loads, self._nav_requests)
        if not self._perf_log:
            self._doc_origin = self._time_origin()

    def _time_origin(self) -> Any:
        """``performance.timeOrigin`` is new for every document: a navigation mark that needs
        no performance log (some Grids drop ``goog:loggingPrefs``)."""
        try:
            return self._script("return performance.timeOrigin")
        except WebDriverException:
            return None

    def settle(self, may_navigate: bool, timeout_s: float) -> bool:
        """Wait for any navigation the action started, then for the network to go quiet."""
        self._pump()
        marked = self._mark is not None
        loads_before, navs_before = self._mark or (self._loads, self._nav_requests)
        self._mark = None
        if not self._perf_log:
            return self._settle_without_log(may_navigate, timeout_s,
                                            self._doc_origin if marked else None)
        if may_navigate:
            deadline = time.monotonic() + NAVIGATION_GRACE_S
            while (self._nav_requests == navs_before and self._loads == loads_before
                   and time.monotonic() < deadline):
                self._sleep(LOG_POLL_S)
        navigated = self._nav_requests > navs_before or self._loads > loads_before
        if navigated:
            deadline = time.monotonic() + timeout_s
            # A redirect chain makes several navigation requests and one load: wait until
            # the last document has loaded (no navigation request after the last load).
            while self._loads == loads_before or self._nav_since_load > 0:
                if time.monotonic() > deadline:
                    self._stop_loading()
                    raise NavigationFailed(f"{self.url} did not finish loading within "
                                           f"{timeout_s:g} s")
                self._sleep(LOG_POLL_S)
        self.wait_quiet()
        return navigated

    def _settle_without_log(self, may_navigate: bool, timeout_s: float, before: Any) -> bool:
        """Without a performance log: wait for the grace period and the load, then compare
        the document's time origin with the one before the action."""
        if may_navigate:
            time.sleep(NAVIGATION_GRACE_S)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if self._script("return document.readyState") == "complete":
                    break
            except WebDriverException:
                pass
            if time.monotonic() > deadline:
                raise NavigationFailed(f"{self.url} did not finish loading within "
                                       f"{timeout_s:g} s")
            time.sleep(POLL_S)
        after = self._time_origin()
        return before is not None and after is not None and after != before

    def wait_quiet(self) -> None:
        """Let late requests (lazy images, beacons) land in this checkpoint's network log."""
        deadline = time.monotonic() + QUIET_CAP_S
        self._pump()
        while self._perf_log and time.monotonic() < deadline:
            idle = time.monotonic() - self.network.last_activity
            if self.network.in_flight == 0 and idle >= QUIET_WINDOW_S:
                return
            self._sleep(0.025)

    def scroll_to_bottom(self) -> None:
        """EcoIndex protocol: scroll down so lazy content loads, then back to the top.

        Pages that fit in the viewport are left alone (nothing lazy can be below the fold).
        """
        try:
            if self._script(_SCROLL_DOWN_JS):
                self.wait_quiet()
                self._script("window.scrollTo(0, 0)")
        except WebDriverException:
            pass

    # reading ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        try:
            self._last_url = str(self._driver.current_url)
        except WebDriverException:
            pass  # the browser is gone: the last address known is the best answer
        return self._last_url

    def evaluate(self, script: str) -> Any:
        started = time.monotonic()
        try:
            raw = self._driver.execute_async_script(_EVALUATE_JS, script)
        except TimeoutException:
            if time.monotonic() - started < SCRIPT_TIMEOUT_S - 1:
                # ChromeDriver reports a document unloaded under the script as a timeout.
                raise StepFailed("in-page script failed: the page navigated away while it "
                                 "ran") from None
            raise StepFailed(f"in-page script failed: no answer within {SCRIPT_TIMEOUT_S:g} s"
                             ) from None
        except WebDriverException as exc:
            raise StepFailed(f"in-page script failed: {_short(exc)}") from None
        if isinstance(raw, dict) and "__auditorError" in raw:
            raise StepFailed(f"in-page script failed: {raw['__auditorError']}")
        try:
            return json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return raw

    def _cdp_command(self, command: str, params: dict[str, Any]) -> Any:
        return self._driver.execute("executeCdpCommand",
                                    {"cmd": command, "params": params})["value"]

    def screenshot(self, path: Path) -> None:
        """The viewport at half scale, JPEG (the Playwright driver's format and size)."""
        width, height = self._viewport
        if self._cdp is not False:
            try:
                shot = self._cdp_command("Page.captureScreenshot", {
                    "format": "jpeg", "quality": SCREENSHOT_QUALITY, "optimizeForSpeed": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height,
                             "scale": SCREENSHOT_SCALE}})
                path.write_bytes(base64.b64decode(shot["data"]))
                self._cdp = True
                return
            except (WebDriverException, KeyError, TypeError, ValueError) as exc:
                if self._cdp:
                    raise StepFailed(f"screenshot failed: {_short(exc)}") from None
                self._cdp = False  # this Grid forwards no CDP command: plain WebDriver
        try:
            png = self._driver.get_screenshot_as_png()
        except WebDriverException as exc:
            raise StepFailed(f"screenshot failed: {_short(exc)}") from None
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            scaled = image.convert("RGB").resize(
                (max(1, round(image.width * SCREENSHOT_SCALE)),
                 max(1, round(image.height * SCREENSHOT_SCALE))))
            scaled.save(path, "JPEG", quality=SCREENSHOT_QUALITY)

    def drain_requests(self) -> list[dict[str, Any]]:
        self._pump()
        return self.network.drain()

    def close(self) -> None:
        try:
            self._driver.quit()
        except Exception:  # noqa: BLE001, S110 - closing a dead browser is not an error
            pass
