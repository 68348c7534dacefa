"""Journey effort on plain runs: screens, actions, fields, keystrokes, switches, KLM (§3)."""

from __future__ import annotations

import pytest

from auditor.metrics.effort import (
    KLM_B,
    KLM_H,
    KLM_M,
    KLM_P,
    KlmCounts,
    is_captcha,
    klm_estimate,
    measure_effort,
    measure_journey,
    path_key,
    step_matches_field,
)
from auditor.models import JourneyResult
from tests.unit import factories as f

S = f.SITE

SIGNUP_FIELDS = [
    f.field("pseudo", "Pseudonyme", required=True),
    f.field("email", "Adresse e-mail", type="email", required=True),
    f.field("password", "Mot de passe", type="password", required=True),
    f.field("password_confirmation", "Confirmez le mot de passe", type="password",
            required=True),
    f.field("cgu", "J'accepte les CGU", type="checkbox", required=True),
    f.field("newsletter", "Recevoir la lettre d'information", type="checkbox"),
    f.field("captcha", "Combien font 3 + 4 ?", required=True),
    f.field("q", "Rechercher", type="search"),  # a search box is not a field to fill
    f.field("old", "Ancien champ", visible=False),  # hidden: not met
]
PROFILE_FIELDS = [
    f.field("quartier", "Quartier", type="select", required=True, tag="select"),
    f.field("justificatif", "Justificatif de domicile", type="file", required=True),
    f.field("telephone", "Téléphone", type="tel"),
]


def signup_journey() -> JourneyResult:
    """A sign-up with a CAPTCHA, a validation error, an e-mail confirmation and an upload."""
    confirmation = dict(url=f"{S}/confirmation?token=REDACTED", headings=["Compte confirmé"])
    checkpoints = [
        f.checkpoint(0, trigger="start", url=f"{S}/", main_prose="Bienvenue",
                     microcopy=["S'inscrire"]),
        f.checkpoint(1, step_index=0, url=f"{S}/inscription", headings=["Inscription"],
                     fields=SIGNUP_FIELDS),
        # the same form shown again with an error: same path, not a new screen
        f.checkpoint(2, step_index=6, url=f"{S}/inscription", headings=["Inscription"],
                     fields=SIGNUP_FIELDS, errors=["Combien font 3 + 4 : champ obligatoire"]),
        f.checkpoint(3, step_index=8, url=f"{S}/inscription/attente"),
        f.checkpoint(4, step_index=9, **confirmation),  # type: ignore[arg-type]
        # a named snapshot of the same state: not a new screen
        f.checkpoint(5, step_index=11, trigger="checkpoint", name="compte confirmé",
                     **confirmation),  # type: ignore[arg-type]
        # a named snapshot after a client-side change (new fields): a screen
        f.checkpoint(6, step_index=13, trigger="checkpoint", name="profil",
                     url=f"{S}/confirmation?token=REDACTED", headings=["Votre profil"],
                     fields=PROFILE_FIELDS),
    ]
    steps = [
        f.step(0, "click", "link 'S'inscrire'", navigated=True, duration_ms=800),
        f.step(1, "fill", "label 'Pseudonyme'", typed_chars=7),
        f.step(2, "fill", "label 'Adresse e-mail'", typed_chars=25),
        f.step(3, "fill", "label 'Mot de passe'", typed_chars=12, secret=True),
        f.step(4, "fill", "label 'Confirmez le mot de passe'", typed_chars=12, secret=True),
        f.step(5, "check", "label 'J'accepte les CGU'"),
        f.step(6, "click", "button 'Créer mon compte'", navigated=True, duration_ms=1200),
        f.step(7, "fill", "label 'Combien font 3 + 4 ?'", typed_chars=1),
        f.step(8, "press", "", value="Enter", typed_chars=1, navigated=True, duration_ms=900),
        f.step(9, "open_email_link", value="https?://", navigated=True, duration_ms=3000),
        f.step(10, "wait_for", "", value="Compte confirmé", duration_ms=500),
        f.step(11, "checkpoint", value="compte confirmé"),
        f.step(12, "click", "button 'Compléter mon profil'"),
        f.step(13, "checkpoint", value="profil"),
        f.step(14, "upload", "label 'Justificatif de domicile'"),
        f.step(15, "select", "label 'Quartier'", value="Centre"),
        f.step(16, "click", "button 'Enregistrer'", outcome="skipped"),
    ]
    return f.journey("signup", steps=steps, checkpoints=checkpoints)


def test_screens_count_page_loads_client_changes_and_the_mailbox() -> None:
    effort = measure_journey(signup_journey())
    kinds = [(s.kind, s.evidence.checkpoint) for s in effort.screen_list]
    assert kinds == [("page_load", 0), ("page_load", 1), ("page_load", 3), ("page_load", 4),
                     ("client_side", 6), ("external", None)]
    assert effort.screens == 6 and effort.page_loads == 4
    assert effort.screen_list[-1].evidence.step_index == 9


def test_interactions_are_what_a_person_clicks_or_presses() -> None:
    effort = measure_journey(signup_journey())
    assert effort.interactions == 8  # 3 clicks, check, press, mail link, upload, select
    assert [e.step_index for e in effort.interaction_list] == [0, 5, 6, 8, 9, 12, 14, 15]
    assert effort.interaction_list[0].detail == "line 10: click link 'S'inscrire'"
    assert effort.steps_run == 16  # the skipped step did not happen


def test_fields_filled_by_the_bot_are_fields_a_person_fills() -> None:
    effort = measure_journey(signup_journey())
    by_name = {x.name: x for x in effort.field_list}
    assert set(by_name) == {"pseudo", "email", "password", "password_confirmation", "cgu",
                            "newsletter", "captcha", "quartier", "justificatif", "telephone"}
    assert effort.fields_total == 10
    assert effort.fields_required == 8 and effort.fields_optional == 2
    assert effort.fields_to_fill == 8
    # "Mot de passe" matched exactly, not the confirmation field that contains those words
    assert by_name["password"].typed_chars == 12 and by_name["password"].evidence.step_index == 3
    assert by_name["cgu"].action == "check" and by_name["justificatif"].action == "upload"
    assert not by_name["newsletter"].to_fill and not by_name["newsletter"].filled_by_bot
    assert by_name["telephone"].evidence.checkpoint == 6


def test_keystrokes_waits_errors_and_context_switches() -> None:
    effort = measure_journey(signup_journey())
    assert effort.keystrokes == 7 + 25 + 12 + 12 + 1 + 1  # four fields, CAPTCHA answer, Enter
    assert effort.wait_ms == 800 + 1200 + 900 + 3000 + 500
    assert effort.errors_met == 1
    assert effort.error_list[0].checkpoint == 2
    assert "champ obligatoire" in effort.error_list[0].text
    switches = [(s.kind, s.evidence.step_index) for s in effort.context_switch_list]
    assert switches == [("email", 9), ("upload", 14), ("captcha", 0)]
    assert effort.context_switches == 3
    assert effort.context_switch_list[2].evidence.selector == "#captcha"


def test_klm_estimate_for_both_personas() -> None:
    effort = measure_journey(signup_journey())
    reading = 19 * 14.69 / 1000  # "Bienvenue" + "S'inscrire" on the only screen with text
    assert effort.reading_time_s == round(reading, 2)
    text_fields, clicks, presses, keys = 5, 7, 1, 57
    base = (KLM_M * (text_fields + clicks + presses) + (KLM_P + KLM_B) * (text_fields + clicks)
            + KLM_H * text_fields + 6.4 + reading)
    average, novice = effort.klm
    assert (average.persona, average.k_s, novice.persona, novice.k_s) == (
        "average", 0.28, "novice", 1.2)
    assert average.total_s == round(base + 0.28 * (keys + presses), 2)
    assert novice.total_s == round(base + 1.2 * (keys + presses), 2)
    assert novice.keying_s == round(1.2 * 58, 2) == 69.6
    assert average.system_s == 6.4


def test_klm_formula_on_counts() -> None:
    estimate = klm_estimate(KlmCounts(text_fields=1, field_keys=10, clicks=1, key_presses=1),
                            "average", 0.28)
    # field: M+P+B+H+10K; click: M+P+B; Enter: M+K
    expected = (KLM_M + KLM_P + KLM_B + KLM_H + 10 * 0.28) + (KLM_M + KLM_P + KLM_B) + (
        KLM_M + 0.28)
    assert estimate.total_s == round(expected, 2)


def test_required_fields_the_bot_skipped_still_count() -> None:
    journey = f.journey("signup", checkpoints=[f.checkpoint(
        0, trigger="start", fields=[f.field("nom", "Nom", required=True),
                                    f.field("age", "Âge")])])
    effort = measure_journey(journey)
    assert effort.fields_to_fill == 1 and effort.fields_required == 1
    assert any("did not fill" in n for n in effort.notes)
    assert effort.klm[0].homing_s == KLM_H  # one text field to fill, no keystrokes known


def test_filled_field_missing_from_the_inventory() -> None:
    journey = f.journey("proposal", steps=[f.step(0, "fill", "label 'Titre'", typed_chars=40)],
                        checkpoints=[f.checkpoint(0, trigger="start")])
    effort = measure_journey(journey)
    [field] = effort.field_list
    assert field.label == "Titre" and field.required is None and field.to_fill
    assert effort.keystrokes == 40
    assert any("not found in the form inventory" in n for n in effort.notes)


def test_external_identity_provider_is_a_context_switch() -> None:
    journey = f.journey("signup", checkpoints=[
        f.checkpoint(0, trigger="start", url=f"{S}/"),
        f.checkpoint(1, step_index=0, url="https://app.franceconnect.gouv.fr/api/v1/authorize"),
        f.checkpoint(2, step_index=1, url=f"{S}/compte"),
    ], steps=[f.step(0, "click", "button 'S'identifier avec FranceConnect'", navigated=True),
              f.step(1, "click", "button 'Continuer'", navigated=True)])
    effort = measure_journey(journey)
    assert [s.kind for s in effort.context_switch_list] == ["external_site"]
    assert effort.context_switch_list[0].evidence.checkpoint == 1
    assert effort.screens == 3


def test_failed_journey_is_partial() -> None:
    journey = f.journey("vote", status="failed", failed_step=1,
                        steps=[f.step(0, "click", "button 'Voter'"),
                               f.step(1, "click", "button 'Confirmer'", outcome="failed"),
                               f.step(2, "click", "button 'Fermer'", outcome="skipped")],
                        checkpoints=[f.checkpoint(0, trigger="start"),
                                     f.checkpoint(1, step_index=1, trigger="failure")])
    effort = measure_journey(journey)
    assert effort.partial and "at step 2" in effort.notes[0]
    assert effort.interactions == 2  # the failed attempt counts, the skipped step does not
    assert effort.screens == 1  # failure snapshots are not screens


@pytest.mark.parametrize(("target", "label", "score"), [
    ("label 'Mot de passe'", "Mot de passe", 2),
    ("label 'Mot de passe'", "Confirmez le mot de passe", 1),
    ("label 'mot de passe'", "Mot de passe *", 2),
    ("textbox 'Pseudonyme'", "Pseudonyme", 2),
    ("label 'Pseudonyme'", "Adresse e-mail", 0),
    ("css '#email'", "Adresse e-mail", 2),
    ("css 'input[name=email]'", "Adresse e-mail", 2),
    ("", "Adresse e-mail", 0),
])
def test_step_to_field_matching(target: str, label: str, score: int) -> None:
    assert step_matches_field(f.step(0, "fill", target), f.field("email", label)) == score


def test_captcha_signatures() -> None:
    assert is_captcha(f.field("captcha_answer", "Réponse"))
    assert is_captcha(f.field("q1", "Combien font 2 + 2 ?"))
    assert is_captcha(f.field("human", "Je ne suis pas un robot", type="checkbox"))
    assert not is_captcha(f.field("email", "Adresse e-mail"))


def test_path_key() -> None:
    assert path_key("https://X.fr/a/b/?q=1#f") == "x.fr/a/b"
    assert path_key("https://x.fr") == "x.fr/"


def test_measure_effort_on_a_run_is_deterministic() -> None:
    run = f.run(signup_journey(), f.journey("vote", status="not_run"))
    first = measure_effort(run)
    assert [j.journey_id for j in first.journeys] == ["signup", "vote"]
    assert first.journeys[1].screens == 0 and first.journeys[1].partial
    assert first.constants["K_novice"] == 1.2 and first.constants["M"] == 1.35
    assert first.model_dump_json() == measure_effort(run).model_dump_json()
