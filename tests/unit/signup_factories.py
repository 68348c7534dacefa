"""Plain Runs for the sign-up friction tests: an inclusive and an exclusionary sign-up.

They mirror the two demo platforms (auditor/demo): the inclusive one asks three fields with the
right autocomplete tokens; the exclusionary one is a three-screen wizard with every barrier the
issue lists. Builders take keyword arguments so a test changes one thing at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.models import (
    Checkpoint,
    FormField,
    JourneyResult,
    NetworkRequest,
    PasswordProbe,
    ProbeAttempt,
    Run,
    StepResult,
    TargetInfo,
    TextCorpora,
    ToolInfo,
)

SITE = "https://participer.example.fr"


def ff(name: str, label: str = "", *, type: str = "text", tag: str = "input",
       autocomplete: str = "", required: bool = False, form_index: int = 0,
       label_source: str = "label", placeholder: str = "", hint: str = "",
       minlength: int | None = None, maxlength: int | None = None, pattern: str = "",
       paste_blocked: bool | None = None, paste_blocked_by: str = "", visible: bool = True,
       disabled: bool = False, id: str | None = None) -> FormField:
    """A form control as the gatherer records it."""
    if paste_blocked is None and type in ("text", "password", "email", "tel"):
        paste_blocked = False  # the gatherer tests paste on every text-like field
    return FormField(
        tag=tag, type=type, name=name, id=name if id is None else id, form_index=form_index,
        label=label, label_source=label_source if label else "none",
        placeholder=placeholder, hint=hint, required=required, autocomplete=autocomplete,
        pattern=pattern, minlength=minlength, maxlength=maxlength, visible=visible,
        disabled=disabled, paste_blocked=paste_blocked, paste_blocked_by=paste_blocked_by,
        selector=f"[name=\"{name}\"]")


def cp(index: int, *, journey_id: str = "sign-up", path: str = "/inscription",
       title: str = "", headings: Sequence[str] = (), fields: Sequence[FormField] = (),
       main_prose: str = "", full_text: str = "", microcopy: Sequence[str] = (),
       errors: Sequence[str] = (), requests: Sequence[str] = (), step_index: int = -1,
       trigger: str = "navigation") -> Checkpoint:
    """A checkpoint; ``full_text`` defaults to title, headings and prose."""
    text = full_text or "\n".join([*headings, main_prose])
    return Checkpoint(
        index=index, journey_id=journey_id, step_index=step_index,
        trigger=trigger,
        url=SITE + path, title=title,
        text=TextCorpora(main_prose=main_prose, headings=list(headings),
                         microcopy=list(microcopy), errors=list(errors), full_text=text),
        fields=list(fields),
        requests=[NetworkRequest(url=u, resource_type="script") for u in requests])


def step(index: int, kind: str, target: str = "", value: str = "", *,
         navigated: bool = False, secret: bool = False) -> StepResult:
    """A step result as the runner records it (templates unexpanded)."""
    return StepResult(index=index, kind=kind, line=10 + index, target=target, value=value,
                      typed_chars=len(value), secret=secret, navigated=navigated,
                      url_before=SITE + "/inscription")


def attempt(candidate: str, length: int, classes: Sequence[str], phase: str = "client",
            accepted: bool | None = True, *, kept: int | None = None,
            validity: Sequence[str] = (), messages: Sequence[str] = ()) -> ProbeAttempt:
    """One probe candidate."""
    return ProbeAttempt(candidate=candidate, length=length, classes=list(classes),
                        phase=phase,
                        accepted=accepted, kept_length=length if kept is None else kept,
                        validity=list(validity), messages=list(messages))


def probe(*attempts: ProbeAttempt, journey_id: str = "sign-up", confirm_fields: int = 0,
          values_kept: bool | None = None, show_toggle: bool | None = None,
          server_tested: bool | None = None, checkpoint: int = 0) -> PasswordProbe:
    """A password probe on the sign-up form."""
    return PasswordProbe(
        journey_id=journey_id, step_index=4, checkpoint=checkpoint,
        url=SITE + "/inscription", field_selector="[name=\"mot_de_passe\"]",
        confirm_fields=confirm_fields, attempts=list(attempts),
        server_tested=any(a.phase == "server" for a in attempts)
        if server_tested is None else server_tested,
        values_kept_after_reject=values_kept, show_toggle=show_toggle)


def journey(journey_id: str, checkpoints: Sequence[Checkpoint],
            steps: Sequence[StepResult] = (), probes: Sequence[PasswordProbe] = ()
            ) -> JourneyResult:
    """A completed journey."""
    return JourneyResult(id=journey_id, title=journey_id, start_url=SITE + "/",
                         status="completed", steps=list(steps),
                         checkpoints=list(checkpoints), probes=list(probes))


def run(*journeys: JourneyResult, mode: str = "full-submit") -> Run:
    """A run of the given journeys."""
    return Run(tool=ToolInfo(version="0.0.0-test"), target=TargetInfo(base_url=SITE),
               mode=mode,
               journeys=list(journeys))


# --------------------------------------------------------------------------- inclusive

PASSWORD_HINT = "8 caractères au moins. Les espaces et les accents sont acceptés."


def inclusive_fields(**password: object) -> list[FormField]:
    """The three fields of the inclusive sign-up; keyword arguments change the password
    field's attributes (``maxlength=12``, ``paste_blocked=True``...)."""
    pw = ff("mot_de_passe", "Mot de passe", type="password", autocomplete="new-password",
            required=True, minlength=8, hint=PASSWORD_HINT)
    return [
        ff("pseudonyme", "Pseudonyme", autocomplete="nickname", required=True,
           hint="Le nom que les autres verront. Par exemple : Camille."),
        ff("email", "Adresse e-mail", type="email", autocomplete="email", required=True),
        pw.model_copy(update=password),
    ]


SIGNUP_MICROCOPY = ("Pseudonyme", "Adresse e-mail", "Mot de passe", "Afficher le mot de passe",
                    "Créer mon compte", "Connectez-vous")


def inclusive_signup_page(index: int = 0, *, fields: Sequence[FormField] | None = None,
                          microcopy: Sequence[str] = SIGNUP_MICROCOPY,
                          errors: Sequence[str] = (), main_prose: str = "",
                          requests: Sequence[str] = (), step_index: int = -1,
                          journey_id: str = "sign-up") -> Checkpoint:
    """The inclusive sign-up form page."""
    return cp(index, journey_id=journey_id, title="Créer un compte",
              headings=["Créer un compte"],
              fields=inclusive_fields() if fields is None else fields,
              main_prose=main_prose or (
                  "Un compte vous permet de proposer une idée. Nous demandons seulement trois "
                  "informations.\nVous n'avez pas besoin de confirmer votre adresse e-mail. "
                  "Vous pouvez participer tout de suite."),
              microcopy=microcopy, errors=errors, requests=requests, step_index=step_index)


def welcome_page(index: int = 1, *, journey_id: str = "sign-up", prose: str = "") -> Checkpoint:
    """The page after the inclusive sign-up."""
    return cp(index, journey_id=journey_id, path="/bienvenue", title="Bienvenue",
              headings=["Bienvenue, Camille"], step_index=4,
              main_prose=prose or "Vous pouvez maintenant proposer une idée ou soutenir "
              "celles des autres.", microcopy=["Proposer une idée", "Voir les propositions"])


SIGNUP_STEPS = (
    step(0, "goto", value="/inscription", navigated=True),
    step(1, "fill", "label 'Pseudonyme'", "{{ identity.pseudonym }}"),
    step(2, "fill", "label 'Adresse e-mail'", "{{ identity.email }}"),
    step(3, "fill", "label 'Mot de passe'", "{{ identity.password }}", secret=True),
    step(4, "click", "button 'Créer mon compte'", navigated=True),
)


def inclusive_probe(*, values_kept: bool | None = None, show_toggle: bool | None = True,
                    ) -> PasswordProbe:
    """The probe of the inclusive form: the 9-character lowercase word is accepted."""
    return probe(attempt("C8_lower", 9, ["lower"]),
                 attempt("C64", 64, ["lower", "space"]),
                 attempt("C8_lower", 9, ["lower"], "server"),
                 values_kept=values_kept, show_toggle=show_toggle)


def login_page(index: int, *, journey_id: str = "proposal", paste_blocked: bool = False,
               maxlength: int | None = None, toggle: bool = True,
               path: str = "/connexion") -> Checkpoint:
    """A log-in form."""
    return cp(index, journey_id=journey_id, path=path, title="Se connecter",
              headings=["Se connecter"],
              fields=[ff("email", "Adresse e-mail", type="email", autocomplete="email",
                         required=True),
                      ff("mot_de_passe", "Mot de passe", type="password",
                         autocomplete="current-password", required=True, maxlength=maxlength,
                         paste_blocked=paste_blocked,
                         paste_blocked_by="listener" if paste_blocked else "")],
              microcopy=["Adresse e-mail", "Mot de passe", "Me connecter",
                         *(["Afficher le mot de passe"] if toggle else [])])


def inclusive_run(*, mode: str = "full-submit", signup_page: Checkpoint | None = None,
                  probes: Sequence[PasswordProbe] | None = None,
                  after: Sequence[Checkpoint] | None = None,
                  steps: Sequence[StepResult] = SIGNUP_STEPS,
                  extra_journeys: Sequence[JourneyResult] = ()) -> Run:
    """The inclusive platform: sign-up, then a proposal journey that logs in."""
    page = signup_page or inclusive_signup_page()
    after_pages = [welcome_page()] if after is None else list(after)
    signup = journey("sign-up", [page, *after_pages], steps,
                     [inclusive_probe()] if probes is None else probes)
    proposal = journey("proposal", [login_page(10)])
    return run(signup, proposal, *extra_journeys, mode=mode)


# --------------------------------------------------------------------------- exclusionary

LEGAL = ("L'utilisateur est informé que son inscription ne deviendra effective qu'après "
         "activation de son compte au moyen du lien transmis par courrier électronique.")


def _placeholder_field(name: str, text: str, *, type: str = "text", maxlength: int | None = None,
                       no_paste: bool = False) -> FormField:
    """A field named only by its placeholder, autocomplete off (the exclusionary style)."""
    return ff(name, text, type=type, label_source="placeholder", placeholder=text,
              autocomplete="off", maxlength=maxlength,
              paste_blocked=no_paste, paste_blocked_by="listener" if no_paste else "")


def _identity_fields() -> list[FormField]:
    return [
        ff("civilite", "Madame", type="radio", id="civilite-mme"),
        ff("civilite", "Monsieur", type="radio", id="civilite-m"),
        _placeholder_field("nom", "Nom *"),
        _placeholder_field("prenom", "Prénom *"),
        _placeholder_field("pseudo", "Pseudonyme *"),
        _placeholder_field("email", "Adresse électronique *"),
        _placeholder_field("email_confirmation", "Confirmation de l'adresse électronique *",
                           no_paste=True),
        _placeholder_field("mot_de_passe", "Mot de passe *", type="password", maxlength=12,
                           no_paste=True),
        _placeholder_field("mot_de_passe_confirmation", "Confirmation du mot de passe *",
                           type="password", maxlength=12, no_paste=True),
        ff("naissance_jour", type="select", tag="select"),
        ff("naissance_mois", type="select", tag="select"),
        ff("naissance_annee", type="select", tag="select"),
    ]


IDENTITY_TEXT = ("Création de compte – Étape 1/3 : Identité\n" + LEGAL + "\n"
                 "Civilité * Madame Monsieur\nDate de naissance * JJ MM AAAA\nÉtape suivante")


def exclusionary_run(*, mode: str = "full-submit") -> Run:
    """The exclusionary platform's sign-up wizard, its e-mail link and a log-in page."""
    def identity_page(index: int, errors: Sequence[str] = (), step_index: int = -1
                      ) -> Checkpoint:
        return cp(index, title="Inscription – Étape 1/3",
                  headings=["Création de compte – Étape 1/3 : Identité"],
                  full_text=IDENTITY_TEXT, main_prose=LEGAL, fields=_identity_fields(),
                  microcopy=["Madame", "Monsieur", "Nom *", "Prénom *", "Étape suivante"],
                  errors=errors, step_index=step_index)

    pages = [
        identity_page(0),
        # the same screen re-rendered after the opaque rejection: nothing new
        identity_page(1, ["Saisie invalide (code E-412)."], 12),
        cp(2, path="/inscription/coordonnees", title="Inscription – Étape 2/3",
           headings=["Création de compte – Étape 2/3 : Coordonnées"], step_index=24,
           main_prose=LEGAL,
           fields=[ff("telephone", "Téléphone *", label_source="placeholder",
                      placeholder="Téléphone *"),
                   ff("adresse", "N° et libellé de la voie *", label_source="placeholder",
                      placeholder="N° et libellé de la voie *"),
                   ff("complement", "Complément d'adresse", label_source="placeholder",
                      placeholder="Complément d'adresse"),
                   ff("code_postal", "Code postal *", label_source="placeholder",
                      placeholder="Code postal *"),
                   ff("commune", "Commune *", label_source="placeholder",
                      placeholder="Commune *"),
                   ff("profession", "Profession (facultatif)", type="select", tag="select")]),
        cp(3, path="/inscription/justificatif", title="Inscription – Étape 3/3",
           headings=["Création de compte – Étape 3/3 : Justificatif et validation"],
           step_index=31, main_prose=LEGAL + "\nVérification de sécurité *\n"
           "Combien font sept plus cinq ?",
           fields=[ff("justificatif", "Justificatif de domicile de moins de 3 mois (PDF, JPG "
                      "ou PNG, 2 Mo max.) *", type="file", required=True),
                   ff("captcha", autocomplete="off"),
                   ff("cgu", "J'accepte les CGU et la politique de protection des données "
                      "(RGPD) *", type="checkbox")]),
        cp(4, path="/inscription/en-attente", title="Inscription enregistrée",
           headings=["Demande d'inscription enregistrée"], step_index=36,
           main_prose="Votre demande d'inscription a bien été enregistrée. Un courriel de "
           "confirmation vous a été envoyé à l'adresse électronique indiquée.\nVous devez "
           "cliquer sur le lien d'activation contenu dans ce courriel, dans un délai de "
           "quarante-huit heures, avant de pouvoir vous connecter, déposer un projet ou "
           "participer au vote."),
        cp(5, path="/confirmer", title="Activation du compte", step_index=37,
           headings=["Activation du compte"],
           main_prose="Votre adresse électronique est confirmée. Votre compte est activé."),
        cp(6, path="/connexion", title="Connexion", step_index=38,
           headings=["Connexion à l'espace personnel"],
           fields=[ff("identifiant", "Identifiant (adresse électronique)",
                      label_source="placeholder", autocomplete="off"),
                   ff("mot_de_passe", "Mot de passe", type="password", maxlength=12,
                      autocomplete="off", paste_blocked=True, paste_blocked_by="listener")]),
    ]
    steps = [step(0, "goto", value="/inscription", navigated=True),
             step(12, "click", "button 'Étape suivante'", navigated=True),
             step(36, "click", "button 'Valider mon inscription'", navigated=True),
             step(37, "open_email_link", value="https?://", navigated=True)]
    the_probe = probe(
        attempt("C8_lower", 9, ["lower"]),
        attempt("C12_lower", 13, ["lower"], kept=12),
        attempt("C64", 64, ["lower", "space"], kept=12),
        attempt("C_complex", 18, ["upper", "lower", "digit", "symbol"], kept=12),
        attempt("C8_lower", 9, ["lower"], "server", False,
                messages=["Saisie invalide (code E-412)."]),
        attempt("C12_lower", 13, ["lower"], "server", False, kept=12,
                messages=["Saisie invalide (code E-412)."]),
        attempt("C_complex", 18, ["upper", "lower", "digit", "symbol"], "server", kept=12),
        confirm_fields=1, values_kept=False, show_toggle=False)
    return run(journey("sign-up", pages, steps, [the_probe]), mode=mode)
