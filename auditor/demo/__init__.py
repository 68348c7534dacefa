"""Embedded demo participation platform "Budget participatif de Villeneuve", in two variants.

The auditor needs a reference it can run offline. The inclusive variant must come out clean (zero
axe-core violations, the workshop's 3-field sign-up, short sentences, ~5 KB pages). The
exclusionary variant carries the barriers below, each one seeded on purpose and each one to be
caught by a named measure. See README.md for the same table, the inclusive checklist and the
figures measured in Chromium.

Public API (used by the CLI and the tests)::

    from auditor.demo import start_demo
    with start_demo("exclusionary") as demo:   # DemoServer on 127.0.0.1, port chosen by the OS
        demo.base_url       # "http://127.0.0.1:<port>", no trailing slash
        demo.mailbox_dir    # outgoing mails as .eml files (the confirmation link is in there)

``python -m auditor.demo --variant inclusive|exclusionary [--port N]`` serves one variant.

Barriers of the exclusionary variant (the CAPTCHA answer is 12: this is a test instance):

 1. cookie wall covering the page until "Tout accepter" is clicked; tracker fired before consent
    where: every page until the consentement_cookies cookie exists: #bandeau-cookies
        (role=dialog, aria-modal, fixed full-screen overlay)
    caught by: effort: one extra interaction and a modal screen (§3.1); text gatherer must
        exclude the consent layer (§1.4); third-party (pixel before consent)
 2. paste blocked (onpaste="return false" plus a paste/drop listener calling preventDefault)
    where: sign-up step 1: mot_de_passe, mot_de_passe_confirmation, email_confirmation; log-in
        password
    caught by: password friction P4 → paste-blocked, BLOCKING (WCAG 3.3.8)
 3. composition rules (upper case, lower case, digit, punctuation, no space) enforced only by
    the server, with "Saisie invalide (code E-412)."; stated nowhere
    where: sign-up step 1
    caught by: P3 battery: tournesol, velovertfleur and pluie douce sur le jardin rejected,
        Plume-Vol4nte!2024 too long, only 8–12-character complex passwords pass; P2 finds no
        hint; error microcopy
 4. maximum length 12: maxlength="12" on the password inputs, and enforced by the server
    where: sign-up step 1, log-in
    caught by: P1 (maxlength < 20 → −20), C64 of the battery
 5. confirm-password field
    where: sign-up step 1
    caught by: P7
 6. confirm-e-mail field
    where: sign-up step 1
    caught by: P7
 7. arithmetic CAPTCHA "Combien font sept plus cinq ?", answer 12
    where: sign-up step 3: input[name=captcha] (no label)
    caught by: P10 home-made signature (input[name*=captcha], "combien font") → math CAPTCHA
        without alternative, BLOCKING (WCAG 3.3.8); context switch; axe label
 8. civility, last name, first name, date of birth, phone, street, postcode and town, all
    required
    where: sign-up steps 1–2
    caught by: P8 (15 required fields on the way) and P9 extra personal data (> 4 → −40); effort
        "required fields"
 9. proof-of-address upload required; the server checks that a non-empty PDF/JPG/PNG was sent
    where: sign-up step 3: input[type=file]#justificatif
    caught by: P9; effort context switch (file upload)
10. sign-up wizard over 3 screens, then "check your mail", confirmation page, log-in
    where: /inscription → /inscription/coordonnees → /inscription/justificatif →
        /inscription/en-attente → /confirmer → /connexion → /mon-compte
    caught by: effort: screens (7 page loads, ≥ 6 → 40), interactions, KLM time
11. e-mail confirmation required before first use: a .eml in mailbox_dir (To: the user, link
    {base_url}/confirmer?token=…); before it, log-in is refused ("Compte non activé (code
    E-203)."); after it, the user must log in again
    where: mail, /confirmer, /connexion
    caught by: P11 / §2.5 (page text regex, mailbox); effort context switch; vote journey −15
12. administrative jargon: 5 sentences of 45–60 words per page; acronyms never explained (CGU,
    RGPD, DSP, EPCI, PLUi, PPI, CESER, DPO, M57)
    where: main prose of home (270 words), each sign-up step (250), proposal form (245); FR and
        EN
    caught by: readability: sentence length, FR formulas (Flesch ≈ 15–23 in French, against ≈
        90–96 for the inclusive variant); unexplained acronyms
13. fields with only a placeholder, no <label>
    where: sign-up steps 1–2, log-in, proposal form
    caught by: forms gatherer (control without label, placeholder-only). axe accepts a
        placeholder as a name, so axe does not flag these
14. fields without any accessible name
    where: header search input, CAPTCHA input; date-of-birth selects, proposal category select
    caught by: axe label, select-name (critical)
15. low-contrast text (#888, #aaa, #bbb, #ccc on white; white on #9cc3ea buttons)
    where: every page
    caught by: axe color-contrast (serious)
16. images without alt
    where: hero image, logo, project thumbnails, partner logos
    caught by: axe image-alt (critical)
17. link and icon button without accessible name
    where: logo link and empty social links (link-name); search button holding only an SVG
        (button-name)
    caught by: axe link-name (serious), button-name (critical)
18. zoom disabled (maximum-scale=1, user-scalable=no)
    where: every page
    caught by: axe meta-viewport
19. autocomplete="off" on identity and password fields (and the forms)
    where: sign-up steps 1–2, log-in
    caught by: P6 (missing tokens, off on passwords), WCAG 1.3.5
20. values wiped after a rejected submit
    where: every form: sign-up steps, log-in, proposal, vote
    caught by: P13 (WCAG 3.3.7)
21. opaque errors ("Erreur de saisie.", "Saisie invalide (code E-412).", "Erreur de saisie (code
    E-530).", "Compte non activé (code E-203)."): one role=alert line above the form, no field
    named, no fix, no aria-invalid
    where: every form
    caught by: error-message microcopy rule (names the field and the fix, §1.5), WCAG 3.3.1 /
        3.3.3 (RGAA 11.10 / 11.11); errors_encountered
22. client-rendered vote widget: the counter and the "Voter" link are injected by app.js after
    DOMContentLoaded and a fetch('/api/propositions/<id>'); absent from the server HTML
    where: proposal page #widget-vote
    caught by: the runner must wait_for it; effort wait_time_ms
23. heavy hero image: 1.26 MB PNG of random pixels (cannot be compressed), no size attributes
    where: home
    caught by: page weight / EcoIndex size (home 2.67 MB, 16 requests)
24. 1.15 MB of first-party JavaScript, render-blocking in <head>, no compression
    (vendor.3f9a1c.js 0.70 MB, app.8b2e4d.js 0.45 MB)
    where: every page
    caught by: page weight (each page ≥ 1.4 MB, cold or warm: Cache-Control: no-store),
        EcoIndex; no Content-Encoding (RGESN compression), no caching (RGESN 6.3)
25. third-party requests on other host names (same port): CDN script cdn.tiers-
    exemple.test/js/carrousel-4.2.1.min.js (150 KB), web font polices.tiers-exemple.test/css +
    .woff2 (90 KB), tracker stats.pisteur-exemple.test/tag.js + /collect pixel
    where: every page
    caught by: third-party requests (3 hosts), requests count, weight; system-font practice
        (RGESN)
26. vote over 3 screens: proposal → "Voter" → choice (Pour/Contre + sworn statement of
    residence) → summary → "Valider définitivement" → confirmation
    where: /propositions/<id>/voter, /voter/recapitulatif, /voter/confirmation
    caught by: effort: screens (5 page loads), interactions, KLM time of the vote journey
27. unstated formats on the proposal form: cost in digits only ("15 000" refused), description
    of at least 200 characters, compulsory transfer-of-rights checkbox
    where: /propositions/nouvelle
    caught by: P13-style error probe, errors_encountered, error microcopy; effort (fields)
29. a hidden CMS mega-menu of 300 links (about 1,000 elements) in every page's header
    where: every page
    caught by: EcoIndex DOM size (weight 3 of 6)
28. focus outline removed (*:focus { outline: none })
    where: every page
    caught by: manual only: no automated measure catches WCAG 2.4.7. It is listed so that
        reports keep saying "automated proxy"
"""

from auditor.demo.server import DemoServer, Variant, start_demo

__all__ = ["DemoServer", "Variant", "start_demo"]
