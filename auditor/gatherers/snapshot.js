// One round trip that reads what the measures need from the rendered page.
// Driver-agnostic: the Playwright and Selenium drivers both evaluate this as a function body
// that returns a JSON-serialisable object. It never changes what the user would see: the one
// temporary change (hiding excluded regions to read innerText) is undone before returning, and
// it happens inside one task, so nothing is painted in between.
(() => {
  const MAIN_CANDIDATES = ["main", "[role=main]", "#main-content", "#content"];
  // Regions that are not the page's own prose: navigation, chrome, hidden content and the
  // consent layers common in France (metrics.md §1.4).
  const EXCLUDED = [
    "nav", "header", "footer", "aside", "[role=navigation]", "[role=banner]",
    "[role=contentinfo]", "[role=complementary]", "[role=search]", "[aria-hidden=true]",
    "[hidden]", "script", "style", "noscript", "template", "dialog:not([open])",
    "#tarteaucitronRoot", "#axeptio_overlay", ".didomi-popup", "#onetrust-banner-sdk",
    "[id*=cookie i]", "[class*=cookie i]", "[id*=consent i]", "[class*=consent i]",
    ".skip-link", ".visually-hidden-focusable", "[role=alert]", "[aria-live]", "[role=status]",
    // form controls and their labels are microcopy, scored apart (metrics.md §1.4)
    "label", "button", "select", "textarea", "input", "legend", "[role=toolbar]",
    "[contenteditable]",
  ].join(",");
  const LEGAL = /conditions g[ée]n[ée]rales|\bCGU\b|donn[ée]es personnelles|\bRGPD\b|mentions l[ée]gales|politique de confidentialit|cookies?\b|terms (of|and)|privacy|personal data|GDPR/i;

  const clean = (s) => (s || "").replace(/\s+/g, " ").trim();
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === "function") {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const textOfIds = (ids) => clean((ids || "").split(/\s+/).filter(Boolean)
    .map((id) => { const t = document.getElementById(id); return t ? t.innerText || t.textContent : ""; })
    .join(" "));

  // A pragmatic accessible-name computation (accname 1.2 order, without recursion into
  // embedded controls): aria-labelledby, aria-label, <label>, title, placeholder.
  const accessibleName = (el) => {
    const by = el.getAttribute("aria-labelledby");
    if (by && textOfIds(by)) return [textOfIds(by), "aria-labelledby"];
    const aria = clean(el.getAttribute("aria-label"));
    if (aria) return [aria, "aria-label"];
    if (el.labels && el.labels.length) {
      const t = clean(Array.from(el.labels).map((l) => l.innerText || l.textContent).join(" "));
      if (t) return [t, "label"];
    }
    const title = clean(el.getAttribute("title"));
    if (title) return [title, "title"];
    const ph = clean(el.getAttribute("placeholder"));
    if (ph) return [ph, "placeholder"];
    if (el.tagName === "BUTTON" || el.tagName === "A" || el.getAttribute("role") === "button") {
      const t = clean(el.innerText || el.textContent);
      if (t) return [t, "content"];
    }
    if (el.tagName === "INPUT" && ["submit", "button", "reset"].includes(el.type)) {
      const v = clean(el.value);
      if (v) return [v, "value"];
    }
    return ["", "none"];
  };

  const cssPath = (el) => {
    if (el.id && document.querySelectorAll("#" + CSS.escape(el.id)).length === 1) {
      return "#" + CSS.escape(el.id);
    }
    const name = el.getAttribute("name");
    if (name) {
      const sel = `${el.tagName.toLowerCase()}[name="${CSS.escape(name)}"]`;
      if (document.querySelectorAll(sel).length === 1) return sel;
    }
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      let part = node.tagName.toLowerCase();
      const parent = node.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.tagName === node.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(" > ");
  };

  // Paste test (metrics.md §2.7 P4 (a)): an untrusted paste event never inserts text, so
  // dispatching one is harmless; a page that blocks paste cancels it.
  const pasteBlocked = (el) => {
    const attr = ["onpaste", "ondrop"].some((a) => /return\s+false|preventDefault/i
      .test(el.getAttribute(a) || ""));
    let cancelled = false;
    try {
      const dt = new DataTransfer();
      dt.setData("text/plain", "x");
      const ev = new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true });
      cancelled = !el.dispatchEvent(ev) || ev.defaultPrevented;
    } catch (e) { cancelled = false; }
    return [cancelled || attr, cancelled ? "listener" : (attr ? "attribute" : "")];
  };

  // ---- form fields
  const forms = Array.from(document.forms);
  const PASTE_TYPES = ["text", "password", "email", "tel", "search", "url", "number", ""];
  const fields = [];
  const controls = document.querySelectorAll(
    "input, select, textarea, [contenteditable=''], [contenteditable=true], [role=textbox]");
  for (const el of controls) {
    const tag = el.tagName.toLowerCase();
    if (tag === "input" && ["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
    if (el.isContentEditable && el.parentElement && el.parentElement.isContentEditable) continue;
    if (tag !== "input" && tag !== "select" && tag !== "textarea" && !el.isContentEditable &&
        el.getAttribute("role") !== "textbox") continue;
    const [label, labelSource] = accessibleName(el);
    const type = tag === "input" ? (el.getAttribute("type") || "text").toLowerCase()
      : (tag === "select" || tag === "textarea") ? tag : "contenteditable";
    const isText = (tag === "input" && PASTE_TYPES.includes(type)) || tag === "textarea" ||
      type === "contenteditable";
    const [blocked, how] = isText ? pasteBlocked(el) : [null, ""];
    const num = (a) => { const v = el.getAttribute(a); return v !== null && /^\d+$/.test(v) ? parseInt(v, 10) : null; };
    fields.push({
      tag, type,
      name: el.getAttribute("name") || "",
      id: el.id || "",
      form_index: el.form ? forms.indexOf(el.form) : -1,
      label, label_source: labelSource,
      placeholder: el.getAttribute("placeholder") || "",
      hint: textOfIds(el.getAttribute("aria-describedby")),
      required: el.required === true || el.getAttribute("aria-required") === "true",
      autocomplete: el.getAttribute("autocomplete") || "",
      pattern: el.getAttribute("pattern") || "",
      minlength: num("minlength"),
      maxlength: num("maxlength"),
      visible: visible(el) || (type === "file" && el.labels && Array.from(el.labels).some(visible)),
      disabled: el.disabled === true,
      paste_blocked: blocked,
      paste_blocked_by: how,
      selector: cssPath(el),
    });
  }

  // ---- text corpora
  let main = null, mainSource = "body";
  for (const sel of MAIN_CANDIDATES) {
    const found = document.querySelector(sel);
    if (found && visible(found)) { main = found; mainSource = sel; break; }
  }
  main = main || document.body;
  const marked = [];
  if (main) {
    for (const el of main.querySelectorAll(EXCLUDED)) {
      el.setAttribute("data-auditor-hidden", "");
      marked.push(el);
    }
  }
  const hide = document.createElement("style");
  hide.textContent = "[data-auditor-hidden]{display:none!important}";
  document.head && document.head.appendChild(hide);
  const mainProse = main ? (main.innerText || "") : "";
  for (const el of marked) el.removeAttribute("data-auditor-hidden");
  hide.remove();

  const uniq = (xs) => Array.from(new Set(xs.map(clean).filter(Boolean)));
  const micro = [];
  for (const f of fields) { if (f.visible) { micro.push(f.label); micro.push(f.placeholder); micro.push(f.hint); } }
  for (const el of document.querySelectorAll("button, [role=button], input[type=submit], input[type=button], a[href], legend, summary")) {
    if (!visible(el)) continue;
    micro.push(accessibleName(el)[0]);
  }
  const errors = [];
  for (const el of document.querySelectorAll("[role=alert], [aria-live=assertive], .error, .errors, .invalid-feedback, .field-error, .errorlist, .form-error")) {
    if (visible(el)) errors.push(el.innerText);
  }
  // Polite live regions and role=status carry success and progress notices as often as
  // errors: kept apart so a "thank you" never counts as an error met.
  const notices = [];
  for (const el of document.querySelectorAll("[role=status], [aria-live=polite]")) {
    if (visible(el)) notices.push(el.innerText);
  }
  for (const el of document.querySelectorAll("[aria-invalid=true]")) {
    errors.push(textOfIds(el.getAttribute("aria-describedby")));
    errors.push(textOfIds(el.getAttribute("aria-errormessage")));
  }
  for (const el of document.querySelectorAll("input, select, textarea")) {
    let userInvalid = false;
    try { userInvalid = el.matches(":user-invalid"); } catch (e) { userInvalid = false; }
    if (userInvalid && el.validationMessage) errors.push(el.validationMessage);
  }
  const legal = [];
  for (const el of document.querySelectorAll("label, .legal, .cgu, .terms, small, [class*=legal i]")) {
    const t = clean(el.innerText);
    if (t && LEGAL.test(t) && visible(el)) legal.push(t);
  }
  const headings = Array.from(document.querySelectorAll("h1, h2, h3")).filter(visible)
    .map((h) => h.innerText);

  // ---- DOM size as EcoIndex counts it: elements, SVG descendants excluded, shadow roots in.
  const countElements = (root) => {
    let n = 0;
    const stack = [root];
    while (stack.length) {
      const el = stack.pop();
      n += 1;
      if (el.shadowRoot) for (const c of el.shadowRoot.children) stack.push(c);
      if (el.localName === "svg") continue;
      for (const c of el.children) stack.push(c);
    }
    return n;
  };

  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    url: location.href,
    title: document.title || "",
    lang: document.documentElement.getAttribute("lang") ||
      document.documentElement.getAttribute("xml:lang") || "",
    fields,
    text: {
      main_prose: mainProse.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim(),
      main_source: mainSource,
      headings: uniq(headings),
      microcopy: uniq(micro),
      errors: uniq(errors),
      notices: uniq(notices),
      legal: uniq(legal),
      full_text: document.body ? document.body.innerText : "",
    },
    dom_element_count: countElements(document.documentElement),
    timings: {
      dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
      load_ms: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
      first_contentful_paint_ms: fcp ? fcp.startTime : null,
    },
  };
})()
