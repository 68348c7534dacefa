"""Hand-made Scorecards for the reporter tests (unit goldens and the e2e HTML checks).

They are written by hand on purpose: the reporters are tested against the model, not against
whatever the scoring engine produces today. ``sample_scorecard()`` is a small French run with
every kind of content; ``previous_scorecard()`` is the same platform one run earlier (for the
Markdown deltas); ``large_scorecard()`` is the weight-budget case; ``nasty_scorecard()`` carries
markup and template syntax where the audited site's text goes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from auditor.scoring.scorecard import (
    CategoryScore,
    Finding,
    GradeCard,
    JourneyCard,
    Place,
    Reference,
    RuleResult,
    RunInfo,
    Scorecard,
    StepThumb,
    Text,
)

SITE = "https://participer.villeneuve.example.fr"
NASTY = "<script>alert(1)</script><b>x</b> {{ 7*7 }}"


def tx(fr: str, en: str) -> Text:
    return Text(fr=fr, en=en)


CATEGORY_TITLES = {
    "accessibility": tx("Accessibilité", "Accessibility"),
    "signup": tx("Inscription et mot de passe", "Sign-up and password"),
    "effort": tx("Effort du parcours", "Journey effort"),
    "language": tx("Clarté du langage", "Plain language"),
    "frugality": tx("Sobriété", "Frugality"),
}
WEIGHTS = {"accessibility": 30, "signup": 20, "effort": 20, "language": 15, "frugality": 15}


def categories(scores: dict[str, float | None]) -> list[CategoryScore]:
    def grade(score: float | None) -> str | None:
        if score is None:
            return None
        for letter, floor in (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25),
                              ("F", 10)):
            if score >= floor:
                return letter
        return "G"

    return [CategoryScore(id=cid, headline="frugality" if cid == "frugality" else "inclusion",
                          title=CATEGORY_TITLES[cid], weight=WEIGHTS[cid], score=score,
                          grade=grade(score),
                          rules_applied=3 if score is not None else 0,
                          rules_not_applicable=1)
            for cid, score in scores.items()]


def run_info(**changes: str) -> RunInfo:
    values = {
        "target_name": "Villeneuve participe", "base_url": SITE,
        "started_at": "2025-11-26T07:14:00+00:00", "mode": "dry-run", "persona": "desktop",
        "viewport": "1920×1080", "tool_version": "0.1.0", "axe_version": "4.12.1",
        "browser_version": "Chromium 142.0.7444.59",
        "protocol": "cold first page, warm later steps; EcoIndex protocol",
        "run_path": "audit-results/villeneuve",
    }
    values.update(changes)
    return RunInfo(**values, throttling="none",
                   components={"textstat": "0.7.13", "pyphen": "0.18.1",
                               "EcoIndex": "metrics.md §4.1"})


WCAG_338 = Reference(kind="WCAG", ref="3.3.8", title="Authentification accessible (minimum)",
                     url="https://www.w3.org/TR/WCAG22/#accessible-authentication-minimum")
RGAA_111 = Reference(kind="RGAA", ref="11.1", title="Étiquettes des champs",
                     url="https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/#11.1")
NIST = Reference(kind="NIST", ref="800-63B §5.1.1.2", title="Memorized secret verifiers",
                 url="https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver")
ECOINDEX = Reference(kind="EcoIndex", ref="méthode", url="https://www.ecoindex.fr/comment-ca-marche/")
FALC = Reference(kind="FALC", ref="règles européennes", title="Information pour tous")


def steps(journey: str, labels: list[str], shots: list[str]) -> list[StepThumb]:
    return [StepThumb(step_index=i - 1, label=label, checkpoint=i, url=f"{SITE}/{journey}/{i}",
                      screenshot=shot, outcome="ok")
            for i, (label, shot) in enumerate(zip(labels, shots, strict=True))]


def sample_scorecard() -> Scorecard:
    """A small French run: 3 journeys, problems of every severity, good points, a review item."""
    findings = [
        Finding(
            id="paste-blocked-3f9a1c", rule_id="paste-blocked", category="signup",
            severity="blocking", blocking=True,
            title=tx("On ne peut pas coller le mot de passe",
                     "The password cannot be pasted"),
            message=tx("Le champ « Confirmez le mot de passe » refuse le collage : un "
                       "gestionnaire de mots de passe ne peut pas le remplir.",
                       "The “Confirm password” field refuses pasting: a password manager "
                       "cannot fill it."),
            fix=tx("Retirez le blocage du collage (onpaste) sur les champs de mot de passe.",
                   "Remove the paste blocking (onpaste) from password fields."),
            why=tx("Les personnes qui ont du mal à retenir ou à taper un mot de passe "
                   "utilisent le copier-coller ou un gestionnaire.",
                   "People who find it hard to remember or type a password use copy and "
                   "paste or a password manager."),
            evidence="paste_blocked=true on 1 of 2 password fields",
            places=[Place(journey_id="sign-up", step_index=1, checkpoint=2,
                          url=f"{SITE}/inscription?etape=2", selector="#password-confirm",
                          text="Confirmez le mot de passe", screenshot="shots/sign-up-2.jpg")],
            references=[WCAG_338, NIST], journey_id="sign-up"),
        Finding(
            id="label-77b2e0", rule_id="label", category="accessibility", severity="major",
            title=tx("Des champs n'ont pas d'étiquette", "Fields without a label"),
            message=tx("2 champs du formulaire n'ont pas d'étiquette lue par les lecteurs "
                       "d'écran.", "2 form fields have no label read by screen readers."),
            fix=tx("Associez chaque champ à une étiquette visible (<label for>).",
                   "Tie each field to a visible label (<label for>)."),
            places=[Place(journey_id="sign-up", step_index=0, url=f"{SITE}/inscription",
                          selector="input[name=cp]", screenshot="shots/sign-up-1.jpg"),
                    Place(journey_id="sign-up", step_index=0, url=f"{SITE}/inscription",
                          selector="input[name=tel]", screenshot="shots/sign-up-1.jpg"),
                    Place(journey_id="sign-up", step_index=1, url=f"{SITE}/inscription?e=2",
                          selector="select#age"),
                    Place(journey_id="sign-up", step_index=1, url=f"{SITE}/inscription?e=2",
                          selector="input#captcha", screenshot="shots/missing.jpg")],
            references=[RGAA_111, Reference(kind="WCAG", ref="4.1.2")], journey_id="sign-up"),
        Finding(
            id="signup-extra-data-1c2d3e", rule_id="signup-extra-data", category="effort",
            severity="major",
            title=tx("L'inscription demande trop d'informations", "Sign-up asks too much"),
            message=tx("L'inscription demande 14 champs sur 3 écrans ; 6 ne sont pas "
                       "nécessaires pour participer.", "Sign-up asks 14 fields over 3 "
                       "screens; 6 of them are not needed to take part."),
            fix=tx("Ne demandez que le pseudonyme, l'adresse e-mail et le mot de passe.",
                   "Ask only for a pseudonym, an e-mail address and a password."),
            references=[Reference(kind="DINUM", ref="dlnuf", title="Dites-le-nous une fois")],
            journey_id="sign-up"),
        Finding(
            id="sentence-length-9e8d7c", rule_id="sentence-length", category="language",
            severity="minor",
            title=tx("Des phrases trop longues", "Sentences too long"),
            message=tx("La règle de vote a des phrases de 38 mots en moyenne.",
                       "The voting rules have sentences of 38 words on average."),
            fix=tx("Coupez les phrases : une idée par phrase, 15 mots au plus.",
                   "Split sentences: one idea per sentence, 15 words at most."),
            places=[Place(journey_id="vote", step_index=-1, url=f"{SITE}/vote",
                          text="Les participants et participantes sont invités, dans le "
                               "respect des modalités définies par la délibération du "
                               "conseil municipal, à exprimer leur préférence…",
                          screenshot="shots/vote-1.jpg")],
            references=[FALC], journey_id="vote"),
        Finding(
            id="page-weight-5a6b7c", rule_id="page-weight", category="frugality",
            severity="minor",
            title=tx("Pages lourdes", "Heavy pages"),
            message=tx("La page d'accueil pèse 3,2 Mo et fait 148 requêtes.",
                       "The home page weighs 3.2 MB and makes 148 requests."),
            fix=tx("Compressez les images et retirez les scripts inutiles.",
                   "Compress images and remove scripts that are not needed."),
            evidence="3.2 MB, 148 requests, 1 870 DOM elements",
            places=[Place(url=f"{SITE}/", screenshot="shots/home.jpg")],
            references=[ECOINDEX], journey_id=""),
        Finding(
            id="help-contact-0a0b0c", rule_id="help-contact", category="effort",
            severity="info",
            title=tx("Une aide humaine est proposée", "Human help is offered"),
            message=tx("Un numéro de téléphone d'aide est affiché.",
                       "A help phone number is shown."),
            fix=tx("Rien à faire.", "Nothing to do."), journey_id="proposal"),
        Finding(
            id="autocomplete-ok-4d4e4f", rule_id="autocomplete-valid",
            category="accessibility", severity="positive",
            title=tx("Remplissage automatique possible", "Autofill works"),
            message=tx("Les champs d'identité ont le bon attribut autocomplete.",
                       "Identity fields have the right autocomplete attribute."),
            fix=tx("Rien à faire.", "Nothing to do."),
            references=[Reference(kind="WCAG", ref="1.3.5")], journey_id="sign-up"),
    ]
    review = [
        Finding(id="color-contrast-review-1", rule_id="color-contrast", category="accessibility",
                severity="info",
                title=tx("Contraste à vérifier sur une image de fond",
                         "Contrast to check on a background image"),
                message=tx("axe-core ne peut pas calculer le contraste du texte posé sur "
                           "l'image d'en-tête.", "axe-core cannot compute the contrast of "
                           "the text over the header image."),
                fix=tx("Vérifiez le contraste à l'œil ou avec un outil de pipette.",
                       "Check the contrast by eye or with a colour picker."),
                places=[Place(journey_id="proposal", step_index=-1, url=f"{SITE}/propositions",
                              selector=".hero h1")],
                references=[Reference(kind="WCAG", ref="1.4.3")], journey_id="proposal"),
    ]
    results = [
        RuleResult(rule_id="paste-blocked", category="signup", journey_id="sign-up",
                   outcome="fail", score=0, weight=5, value=1.0,
                   detail=tx("1 champ bloque le collage", "1 field blocks pasting"),
                   finding_ids=["paste-blocked-3f9a1c"]),
        RuleResult(rule_id="label", category="accessibility", journey_id="sign-up",
                   outcome="fail", score=40, weight=3, value=4.0,
                   finding_ids=["label-77b2e0"]),
        RuleResult(rule_id="sentence-length", category="language", journey_id="vote",
                   outcome="fail", score=55.5, weight=2, value=38.2,
                   finding_ids=["sentence-length-9e8d7c"]),
        RuleResult(rule_id="page-weight", category="frugality", outcome="fail", score=62,
                   weight=4, value="3.2 MB", finding_ids=["page-weight-5a6b7c"]),
        RuleResult(rule_id="color-contrast", category="accessibility", journey_id="proposal",
                   outcome="needs_review", score=None, weight=2,
                   finding_ids=["color-contrast-review-1"]),
        RuleResult(rule_id="captcha-cognitive", category="signup", journey_id="sign-up",
                   outcome="not_applicable", score=None, weight=5),
        RuleResult(rule_id="autocomplete-valid", category="accessibility",
                   journey_id="sign-up", outcome="pass", score=100, weight=1.5,
                   finding_ids=["autocomplete-ok-4d4e4f"]),
    ]
    journeys = [
        JourneyCard(
            journey_id="sign-up", title="Inscription", status="completed",
            grades=[GradeCard(headline="inclusion", score=38.4, grade="E", capped=True,
                              cap_reason=tx("Note plafonnée à D : le collage est bloqué.",
                                            "Grade capped at D: pasting is blocked.")),
                    GradeCard(headline="frugality", score=64, grade="C")],
            categories=categories({"accessibility": 52, "signup": 20, "effort": 35,
                                   "language": 71, "frugality": 64}),
            facts=[tx("14 champs sur 3 écrans", "14 fields over 3 screens"),
                   tx("2 min 40 s pour une personne entraînée",
                      "2 min 40 s for a trained person")],
            steps=steps("inscription", ["Page de départ", "Remplir l'identité",
                                        "Choisir un mot de passe"],
                        ["shots/sign-up-0.jpg", "shots/sign-up-1.jpg", "shots/sign-up-2.jpg"])),
        JourneyCard(
            journey_id="proposal", title="Proposition", status="completed",
            grades=[GradeCard(headline="inclusion", score=71, grade="B"),
                    GradeCard(headline="frugality", score=58, grade="C")],
            categories=categories({"accessibility": 70, "signup": None, "effort": 74,
                                   "language": 66, "frugality": 58}),
            steps=steps("propositions", ["Liste des propositions", "Écrire la proposition"],
                        ["shots/proposal-0.jpg", ""])),
        JourneyCard(
            journey_id="vote", title="Vote", status="failed",
            grades=[GradeCard(headline="inclusion", score=None, grade=None),
                    GradeCard(headline="frugality", score=81, grade="A")],
            categories=categories({"accessibility": None, "signup": None, "effort": None,
                                   "language": 49, "frugality": 81}),
            facts=[tx("Le parcours s'est arrêté à l'étape 2", "The journey stopped at step 2")],
            steps=[StepThumb(step_index=-1, label="Page du vote", screenshot="shots/vote-1.jpg",
                             url=f"{SITE}/vote"),
                   StepThumb(step_index=0, label="Cliquer sur « Voter »", outcome="failed")]),
    ]
    return Scorecard(
        lang="fr", profile="default", run=run_info(),
        grades=[GradeCard(headline="inclusion", score=47.6, grade="D", capped=True,
                          cap_reason=tx("Note plafonnée à D : le collage du mot de passe "
                                        "est bloqué à l'inscription.", "Grade capped at D: "
                                        "pasting the password is blocked at sign-up.")),
                GradeCard(headline="frugality", score=67.2, grade="C")],
        categories=categories({"accessibility": 61, "signup": 20, "effort": 54.5,
                               "language": 62, "frugality": 67.2}),
        journeys=journeys, findings=findings, results=results, needs_review=review,
        disclaimers=[tx("Résultat partiel : 33 critères RGAA sur 106 sont contrôlés "
                        "automatiquement ; ne remplace pas un audit RGAA.",
                        "Partial result: 33 of 106 RGAA criteria are checked "
                        "automatically; this does not replace an RGAA audit.")])


def previous_scorecard() -> Scorecard:
    """The same platform one run earlier: worse accessibility, one problem since fixed."""
    current = sample_scorecard()
    fixed = Finding(
        id="captcha-cognitive-aa11bb", rule_id="captcha-cognitive", category="signup",
        severity="blocking", blocking=True,
        title=tx("Un CAPTCHA d'images sans autre choix", "An image CAPTCHA with no alternative"),
        message=tx("Il faut reconnaître des images pour s'inscrire.",
                   "You must recognise images to sign up."),
        fix=tx("Proposez une alternative.", "Offer an alternative."), journey_id="sign-up")
    return current.model_copy(update={
        "run": run_info(started_at="2025-11-19T07:10:00+00:00"),
        "grades": [GradeCard(headline="inclusion", score=35, grade="E", capped=True),
                   GradeCard(headline="frugality", score=67.4, grade="C")],
        "categories": categories({"accessibility": 48, "signup": 10, "effort": 54.5,
                                  "language": 62, "frugality": 67.4}),
        "findings": [fixed, *[f for f in current.findings
                              if f.id not in ("sentence-length-9e8d7c",)]],
    })


def nasty_scorecard() -> Scorecard:
    """Markup, template syntax and mention bait where the audited site's text goes."""
    sample = sample_scorecard()
    nasty_place = Place(journey_id="sign-up", step_index=1, url="javascript:alert(1)",
                        selector=f'input[title="{NASTY}"]', text=NASTY,
                        screenshot="../../../../etc/passwd")
    nasty = Finding(
        id='x"><script>alert(2)</script>', rule_id="page-title", category="language",
        severity="major",
        title=tx(f"Titre de page : {NASTY}", f"Page title: {NASTY}"),
        message=tx(f"La page s'appelle {NASTY} | @everyone `code` #12",
                   f"The page is called {NASTY} | @everyone `code` #12"),
        fix=tx("=HYPERLINK(\"http://evil.example\")", "=HYPERLINK(\"http://evil.example\")"),
        evidence=f"{NASTY} https://cdn.example.org/{'a' * 200}.js", places=[nasty_place],
        references=[Reference(kind="WCAG", ref="2.4.2", title=NASTY, url="javascript:alert(3)")],
        journey_id="sign-up")
    journeys = [j.model_copy(update={"title": f"{j.title} {NASTY}"}) if j.journey_id == "vote"
                else j for j in sample.journeys]
    return sample.model_copy(update={
        "findings": [nasty, *sample.findings], "journeys": journeys,
        "run": run_info(target_name=f"Villeneuve {NASTY}")})


def gradient_jpeg(path: Path, index: int, size: tuple[int, int] = (1920, 1080)) -> Path:
    """A noise-free gradient screenshot stand-in, different for each index."""
    width, height = size
    horizontal = Image.linear_gradient("L").resize((width, height))
    vertical = Image.linear_gradient("L").rotate(90).resize((width, height))
    tint = Image.new("L", (width, height), (index * 37) % 256)
    Image.merge("RGB", (horizontal, vertical, tint)).save(path, "JPEG", quality=80)
    return path


def large_scorecard(run_dir: Path, findings: int = 40, shots: int = 12) -> Scorecard:
    """The weight-budget case: ``findings`` findings over ``shots`` real 1920×1080 screenshots
    (written into ``run_dir/shots``), three journeys of four steps."""
    (run_dir / "shots").mkdir(parents=True, exist_ok=True)
    names = [f"shots/cp-{i}.jpg" for i in range(shots)]
    for i, name in enumerate(names):
        gradient_jpeg(run_dir / name, i)
    sample = sample_scorecard()
    journey_ids = ["sign-up", "proposal", "vote"]
    journeys = []
    for j, journey in enumerate(sample.journeys):
        own = names[j * 4:(j + 1) * 4]
        journeys.append(journey.model_copy(update={"steps": steps(
            journey.journey_id, [f"Étape {k}" for k in range(len(own))], own)}))
    severities = ["blocking", "major", "minor", "info", "positive"]
    many = []
    for i in range(findings):
        journey_id = journey_ids[i % 3]
        many.append(Finding(
            id=f"rule-{i}-{i * 7919 % 10007:05d}", rule_id=f"rule-{i % 9}",
            category=("accessibility", "signup", "effort", "language", "frugality")[i % 5],
            severity=severities[i % 5], blocking=i % 5 == 0,
            title=tx(f"Problème n° {i} : un libellé de taille moyenne",
                     f"Problem no. {i}: a title of average length"),
            message=tx("Un message en mots simples, avec les chiffres mesurés : "
                       f"{i} champs, {i * 3} mots par phrase, {i * 10} Ko de plus que "
                       "nécessaire pour cette page.",
                       f"A plain-words message with the figures: {i} fields, {i * 3} words "
                       f"per sentence, {i * 10} KB more than this page needs."),
            fix=tx("Une correction concrète, en une ou deux phrases, que l'équipe peut "
                   "appliquer tout de suite.", "A concrete fix, in a sentence or two, that "
                   "the team can apply at once."),
            why=tx("Qui est gêné et pourquoi.", "Who is hindered and why."),
            places=[Place(journey_id=journey_id, step_index=i % 4 - 1,
                          url=f"{SITE}/{journey_id}/{i % 4}", selector=f"#field-{i}",
                          text="Une phrase de la page concernée.",
                          screenshot=names[(i * 5) % shots])],
            references=[WCAG_338, RGAA_111], journey_id=journey_id))
    return sample.model_copy(update={"journeys": journeys, "findings": many})


def empty_scorecard() -> Scorecard:
    """A run that produced nothing to score: no journey, no category, no finding."""
    return Scorecard(lang="en", profile="default", run=run_info(mode="full-submit",
                                                                 persona="mobile"),
                     grades=[], categories=[], journeys=[], findings=[], results=[])
