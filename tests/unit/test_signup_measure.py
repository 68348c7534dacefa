"""Password and sign-up friction (issue 4) on plain Runs: one test per check, each can fail."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from pydantic import ValidationError

from auditor.metrics.personal_data import (
    autocomplete_field_name,
    classify_field,
    count_sentences,
    dlnuf_level,
)
from auditor.metrics.signup import (
    CATALOG,
    SignupFinding,
    SignupMeasures,
    classify_rejection,
    find_signup_journey,
    measure_signup,
    pattern_classes,
)
from auditor.models import FormField
from tests.unit.signup_factories import (
    SIGNUP_MICROCOPY,
    SIGNUP_STEPS,
    attempt,
    cp,
    exclusionary_run,
    ff,
    inclusive_fields,
    inclusive_probe,
    inclusive_run,
    inclusive_signup_page,
    journey,
    login_page,
    probe,
    run,
    step,
    welcome_page,
)


def ids(measures: SignupMeasures) -> list[str]:
    return [f.id for f in measures.findings]


def finding(measures: SignupMeasures, fid: str) -> SignupFinding:
    found = [f for f in measures.findings if f.id == fid]
    assert len(found) == 1, f"{fid}: {ids(measures)}"
    return found[0]


def check(measures: SignupMeasures, cid: str) -> str:
    return next(c.status for c in measures.checks if c.id == cid)


def with_password(**changes: object) -> SignupMeasures:
    """The inclusive run with its password field changed."""
    page = inclusive_signup_page(fields=inclusive_fields(**changes))
    return measure_signup(inclusive_run(signup_page=page))


def with_fields(*extra: FormField) -> SignupMeasures:
    """The inclusive run with more fields on its form."""
    page = inclusive_signup_page(fields=[*inclusive_fields(), *extra])
    return measure_signup(inclusive_run(signup_page=page))


# --------------------------------------------------------------------------- the two demos


def test_inclusive_signup_has_no_negative_finding_and_scores_100() -> None:
    m = measure_signup(inclusive_run())
    assert m.journey_id == "sign-up"
    assert [f for f in m.findings if f.points < 0 or f.severity != "positive"] == []
    assert m.score.score == 100 and m.score.blocking is False
    assert [o.kind for o in m.other_forms] == ["log-in"]
    assert m.other_forms[0].findings == []
    assert m.personal_data is not None
    assert m.personal_data.fields_total == 3 and m.personal_data.dlnuf_level == "optimal"
    assert m.password is not None and m.password.composition_enforced is False
    assert m.show_password == "present"


EXPECTED_EXCLUSIONARY = {
    # id: (severity, blocking, points, a source ref it must cite)
    "paste-blocked": ("blocking", True, -30, "3.3.8"),
    "captcha-cognitive": ("blocking", True, -25, "1.5"),
    "password-composition-rules": ("major", False, -20, "Délibération n° 2022-100 du 21 "
                                   "juillet 2022"),
    "password-max-length": ("major", False, -20, "SP 800-63B-4 §3.1.1.2 (rev. 3 §5.1.1.2)"),
    "show-password-missing": ("minor", False, -10, "SP 800-63B-4 §3.1.1.2 (rev. 3 §5.1.1.2)"),
    "autocomplete-off": ("minor", False, -10, "1.3.5"),
    "autocomplete-missing": ("minor", False, -15, "11.13"),
    "confirm-password-field": ("minor", False, -5, "3.3.7"),
    "confirm-email-field": ("minor", False, -5, "3.3.7"),
    "paste-blocked-other-field": ("minor", False, 0, "3.3.8"),
    "email-confirmation-required": ("major", False, -10, "3.3.8"),
    "extra-personal-data-required": ("major", False, -40, "Dites-le-nous une fois"),
    "proof-document-required": ("major", False, 0, "ICPC workshop 2020, Mulhouse"),
    "extra-personal-data-optional": ("minor", False, -2, "RGPD art. 5.1.c"),
    "autocomplete-personal-data-missing": ("minor", False, 0, "1.3.5"),
    "values-lost-after-error": ("major", False, -10, "3.3.7"),
    "opaque-error-message": ("major", False, -10, "3.3.1"),
}


def test_exclusionary_signup_yields_each_finding_once() -> None:
    m = measure_signup(exclusionary_run())
    assert ids(m) == [fid for fid in CATALOG if fid in EXPECTED_EXCLUSIONARY]
    for fid, (severity, blocking, points, ref) in EXPECTED_EXCLUSIONARY.items():
        f = finding(m, fid)
        assert (f.severity, f.blocking, f.points) == (severity, blocking, points), fid
        assert ref in [s.ref for s in f.sources], fid
        assert f.evidence, fid
        assert f.title_en and f.title_fr


def test_exclusionary_score_is_zero_with_deductions_listed() -> None:
    m = measure_signup(exclusionary_run())
    assert m.score.score == 0 and m.score.raw is not None and m.score.raw < 0
    assert m.score.blocking and m.score.blocking_findings == ["paste-blocked",
                                                              "captcha-cognitive"]
    applied = {line.finding_id: line.applied for line in m.score.lines}
    assert applied["paste-blocked"] == -30
    # autocomplete: -10 (off) then -15 (missing) capped to -5: -15 together
    assert applied["autocomplete-off"] + applied["autocomplete-missing"] == -15
    assert sum(applied.values()) == m.score.raw - 100
    # the log-in page of the same journey is another form, and its paste block counts once
    login = [o for o in m.other_forms if o.kind == "log-in"]
    assert len(login) == 1 and "paste-blocked" in [f.id for f in login[0].findings]
    assert [line.finding_id for line in m.score.lines].count("paste-blocked") == 1


def test_exclusionary_wizard_is_aggregated_over_three_screens() -> None:
    m = measure_signup(exclusionary_run())
    pd = m.personal_data
    assert pd is not None
    # the re-rendered step 1 adds nothing; the two radios are one field
    assert pd.screens == 3 and pd.fields_total == 20
    assert [f.key for f in m.fields].count("civilite") == 1
    assert pd.extra_required_items == ["title or gender", "real name", "date of birth or age",
                                       "phone number", "postal address", "proof document"]
    assert pd.dlnuf_level == "faible"
    assert pd.sentence_en == ("The sign-up asks 20 fields on 3 screens; 13 of them ask for "
                              "personal data that is not needed to take part.")
    assert pd.sentence_fr.startswith("L'inscription demande 20 champs sur 3 écrans ; 13 ")


def test_measures_are_deterministic_and_json_serialisable() -> None:
    first = measure_signup(exclusionary_run()).model_dump_json()
    assert first == measure_signup(exclusionary_run()).model_dump_json()
    again = SignupMeasures.model_validate_json(first)
    assert again.model_dump_json() == first
    assert json.loads(first)["score"]["score"] == 0


def test_models_refuse_unknown_keys() -> None:
    data = measure_signup(inclusive_run()).model_dump()
    data["surprise"] = 1
    with pytest.raises(ValidationError):
        SignupMeasures.model_validate(data)


# --------------------------------------------------------------------------- journeys, forms


def test_signup_journey_found_by_new_password_when_id_says_nothing() -> None:
    r = run(journey("compte", [inclusive_signup_page(journey_id="compte")]),
            journey("vote", [login_page(5, journey_id="vote")]))
    j, reason = find_signup_journey(r)
    assert j is not None and j.id == "compte" and "new-password" in reason


def test_signup_journey_found_by_heading_and_login_only_run_scores_other_forms() -> None:
    page = cp(0, journey_id="compte", title="Inscription", headings=["Inscription"],
              fields=[ff("login", "Pseudonyme"), ff("pw", "Mot de passe", type="password")])
    j, reason = find_signup_journey(run(journey("compte", [page])))
    assert j is not None and "heading" in reason
    only_login = measure_signup(run(journey("vote", [login_page(0, journey_id="vote",
                                                                paste_blocked=True)])))
    assert only_login.journey_id is None and only_login.findings == []
    assert {c.status for c in only_login.checks} == {"not_observed"}
    assert only_login.score.measured and only_login.score.score == 70
    assert only_login.score.blocking_findings == ["paste-blocked"]


def test_no_password_form_at_all_is_not_measured() -> None:
    m = measure_signup(run(journey("vote", [welcome_page(0, journey_id="vote")])))
    assert m.score.measured is False and m.score.score is None
    assert "P4" in m.score.not_observed


# --------------------------------------------------------------------------- P1 / P2 / P3


def test_p1_pattern_lookaheads_are_a_composition_rule() -> None:
    assert pattern_classes(r"^(?=.*[A-Z])(?=.*\d)(?=.*[^a-zA-Z0-9]).{8,}$") == [
        "upper", "digit", "symbol"]
    m = with_password(pattern=r"(?=.*[A-Z])(?=.*\d).{8,}")
    assert finding(m, "password-composition-rules").points == -20
    assert check(m, "P1") == "fail"
    assert "password-composition-rules" not in ids(with_password(pattern=r".{8,}"))


def test_p2_stated_rules_in_the_hint() -> None:
    strict = with_password(hint="Le mot de passe doit contenir au moins une majuscule, un "
                                "chiffre et un caractère spécial.")
    assert check(strict, "P2") == "fail"
    assert "password-composition-rules" in ids(strict)
    assert strict.password is not None
    assert strict.password.stated_classes == ["upper", "digit", "symbol"]
    permissive = with_password(hint="Les chiffres et les symboles sont acceptés.")
    assert "password-composition-rules" not in ids(permissive)


def test_p3_composition_inferred_from_the_probe_per_phase() -> None:
    inferred = probe(attempt("C12_lower", 13, ["lower"], "server", False,
                             messages=["Mot de passe refusé."]),
                     attempt("C_complex", 18, ["upper", "lower", "digit", "symbol"], "server"),
                     show_toggle=True)
    m = measure_signup(inclusive_run(probes=[inferred]))
    f = finding(m, "password-composition-rules")
    assert "inferred" in f.detail and check(m, "P3-server") == "fail"
    # a lowercase candidate shorter than anything accepted proves nothing
    short = probe(attempt("C8_lower", 9, ["lower"], "server", False, messages=["Refusé."]),
                  attempt("C_complex", 18, ["upper", "lower", "digit", "symbol"], "server"),
                  show_toggle=True)
    page = inclusive_signup_page(fields=inclusive_fields(minlength=None, hint=""))
    assert "password-composition-rules" not in ids(
        measure_signup(inclusive_run(signup_page=page, probes=[short])))
    # a rejection whose message speaks of length is not a composition rule
    length = probe(attempt("C12_lower", 13, ["lower"], "server", False,
                           messages=["Trop court : 14 caractères minimum."]),
                   attempt("C_complex", 18, ["upper", "lower", "digit", "symbol"], "server"),
                   show_toggle=True)
    assert "password-composition-rules" not in ids(measure_signup(
        inclusive_run(probes=[length])))


@pytest.mark.parametrize(("message", "validity", "reasons"), [
    ("Saisie invalide (code E-412).", (), ["opaque"]),
    ("", (), ["opaque"]),
    ("Veuillez respecter le format requis.", ("patternMismatch",), ["pattern", "opaque"]),
    ("Le mot de passe doit contenir une majuscule et un chiffre.", (), ["composition"]),
    ("Ce mot de passe est trop courant.", (), ["blocklist"]),
    ("Password is too short: at least 12 characters.", ("tooShort",), ["min-length"]),
    ("Le mot de passe est trop long.", (), ["max-length"]),
    ("Les mots de passe ne correspondent pas.", (), ["mismatch"]),
    ("Mot de passe trop faible.", (), ["strength", "opaque"]),
])
def test_p3_rejection_messages_are_classified(message: str, validity: tuple[str, ...],
                                              reasons: list[str]) -> None:
    assert classify_rejection(message, validity) == reasons


def test_p3_max_length_declared_truncated_or_found_on_the_server() -> None:
    assert finding(with_password(maxlength=32), "password-max-length").points == -10
    short = finding(with_password(maxlength=12), "password-max-length")
    assert (short.points, short.severity) == (-20, "major") and "14 characters" in short.detail
    truncating = probe(attempt("C64", 64, ["lower", "space"], kept=40), show_toggle=True)
    cut = finding(measure_signup(inclusive_run(probes=[truncating])), "password-max-length")
    assert "without a message" in cut.detail and "40" in cut.detail
    server = probe(attempt("C15_phrase", 25, ["lower", "space"], "server"),
                   attempt("C64", 64, ["lower", "space"], "server", False,
                           messages=["Le mot de passe est trop long."]),
                   show_toggle=True)
    m = measure_signup(inclusive_run(probes=[server]))
    assert m.password is not None and m.password.max_length == 63
    assert finding(m, "password-max-length").points == -10
    assert "password-max-length" not in ids(with_password(maxlength=128))


def test_p3_minimum_above_15() -> None:
    assert finding(with_password(minlength=16), "password-min-length").points == -5
    assert "password-min-length" not in ids(with_password(minlength=15))


def test_p3_server_part_not_run_in_dry_run() -> None:
    client_only = probe(attempt("C8_lower", 9, ["lower"]), show_toggle=True)
    m = measure_signup(inclusive_run(mode="dry-run", probes=[client_only], after=[]))
    assert check(m, "P3-client") == "pass"
    assert check(m, "P3-server") == "not_run_dry_run"
    assert check(m, "P11") == "not_run_dry_run" and check(m, "P13") == "not_run_dry_run"
    assert {"P3-server", "P11", "P13"} <= set(m.score.not_observed)
    assert m.score.score == 100


# --------------------------------------------------------------------------- P4 paste


def test_p4_paste_blocked_on_password_is_blocking() -> None:
    m = with_password(paste_blocked=True, paste_blocked_by="listener")
    f = finding(m, "paste-blocked")
    assert f.blocking and f.points == -30 and check(m, "P4") == "fail"
    assert {s.kind for s in f.sources} == {"WCAG", "NIST"}
    assert m.score.blocking and m.score.score == 70
    # a static onpaste attribute alone is a hint, not proof (metrics §2.7 P4 (c))
    hint = with_password(paste_blocked=True, paste_blocked_by="attribute")
    assert "paste-blocked" not in ids(hint)
    assert "static onpaste" in next(c.detail for c in hint.checks if c.id == "P4")


def test_p4_paste_blocked_on_a_one_time_code_field() -> None:
    code = ff("code", "Code reçu par e-mail", autocomplete="one-time-code", paste_blocked=True,
              paste_blocked_by="listener")
    m = with_fields(code)
    assert "paste-blocked" in ids(m) and "Code reçu" in finding(m, "paste-blocked").detail


# --------------------------------------------------------------------------- P5 toggle


def test_p5_show_password_from_probe_or_microcopy() -> None:
    m = measure_signup(inclusive_run(probes=[inclusive_probe(show_toggle=False)]))
    assert finding(m, "show-password-missing").points == -10
    no_probe_no_button = inclusive_signup_page(
        microcopy=[t for t in SIGNUP_MICROCOPY if "Afficher" not in t])
    m2 = measure_signup(inclusive_run(signup_page=no_probe_no_button, probes=[]))
    assert "show-password-missing" in ids(m2) and check(m2, "P5") == "fail"
    m3 = measure_signup(inclusive_run(probes=[]))
    assert m3.show_password == "present" and "not clicked" in m3.show_password_source


# --------------------------------------------------------------------------- P6 autocomplete


def test_p6_autocomplete_off_missing_wrong_and_the_cap() -> None:
    off = with_password(autocomplete="off")
    assert finding(off, "autocomplete-off").points == -5
    wrong = with_password(autocomplete="current-password")
    assert "autocomplete-wrong" in ids(wrong)
    page = inclusive_signup_page(fields=[
        ff("pseudonyme", "Pseudonyme"), ff("email", "E-mail", type="email"),
        ff("email2", "Confirmez l'e-mail", type="email"),
        ff("mot_de_passe", "Mot de passe", type="password", autocomplete="off")])
    m = measure_signup(inclusive_run(signup_page=page))
    assert finding(m, "autocomplete-missing").points == -15
    applied = {line.finding_id: line.applied for line in m.score.lines}
    assert applied["autocomplete-off"] + applied["autocomplete-missing"] == -15
    assert autocomplete_field_name("section-a shipping street-address") == "street-address"


def test_p6_personal_data_without_tokens_is_a_minor_1_3_5_finding() -> None:
    m = with_fields(ff("tel", "Téléphone", type="tel"),
                    ff("cp", "Code postal", autocomplete="postal-code"))
    f = finding(m, "autocomplete-personal-data-missing")
    assert (f.severity, f.points) == ("minor", 0) and "Téléphone" in f.detail
    assert "Code postal" not in f.detail


# --------------------------------------------------------------------------- P7 confirmations


def test_p7_confirm_fields_are_friction_not_failures() -> None:
    m = with_fields(ff("email_confirmation", "Confirmez votre adresse e-mail", type="email",
                       autocomplete="email"),
                    ff("mot_de_passe_2", "Mot de passe (encore)", type="password",
                       autocomplete="new-password"))
    for fid in ("confirm-password-field", "confirm-email-field"):
        f = finding(m, fid)
        assert (f.severity, f.blocking, f.points) == ("minor", False, -5)
        assert [s.ref for s in f.sources] == ["3.3.7"]
    # a second unlabelled password field in the same form is a confirmation too
    second = with_fields(ff("pw_b", "Répétez", type="password", autocomplete="new-password"))
    assert "confirm-password-field" in ids(second)


# --------------------------------------------------------------------------- P8 / P9


def test_p8_p9_dlnuf_levels_count_pieces_of_information() -> None:
    assert dlnuf_level(0) == ("optimal", 0) and dlnuf_level(1) == ("optimal", -10)
    assert dlnuf_level(4) == ("partiel", -25) and dlnuf_level(5) == ("faible", -40)
    dob = [ff(f"naissance_{p}", f"{p} *", type="select", tag="select") for p in
           ("jour", "mois", "annee")]
    one = with_fields(*dob)
    f = finding(one, "extra-personal-data-required")
    assert (f.points, f.severity) == (-10, "minor") and "1 piece" in f.detail
    three = with_fields(*dob, ff("tel", "Téléphone *", type="tel", autocomplete="tel"),
                        ff("ville", "Ville", required=True, autocomplete="address-level2"))
    assert finding(three, "extra-personal-data-required").points == -25
    assert three.personal_data is not None and three.personal_data.dlnuf_level == "partiel"


def test_p9_optional_extra_data_costs_two_points_each() -> None:
    m = with_fields(ff("quartier", "Quartier (facultatif)"),
                    ff("metier", "Profession", required=False))
    f = finding(m, "extra-personal-data-optional")
    assert f.points == -4 and "extra-personal-data-required" not in ids(m)


def test_p9_required_marked_by_page_text_for_radio_groups() -> None:
    radios = [ff("civilite", "Madame", type="radio", id="c1"),
              ff("civilite", "Monsieur", type="radio", id="c2")]
    page = inclusive_signup_page(fields=[*inclusive_fields(), *radios])
    page.text.full_text += "\nCivilité * Madame Monsieur"
    m = measure_signup(inclusive_run(signup_page=page))
    civ = next(f for f in m.fields if f.key == "civilite")
    assert civ.category == "gender" and civ.required and civ.required_source == "page-text"
    assert "extra-personal-data-required" in ids(m)


def test_p9_proof_document_and_workshop_source() -> None:
    proof = ff("justificatif", "Justificatif de domicile *", type="file")
    f = finding(with_fields(proof), "proof-document-required")
    assert f.severity == "major" and "Workshop" in [s.kind for s in f.sources]
    avatar = ff("avatar", "Photo de profil", type="file")
    m = with_fields(avatar)
    assert "proof-document-required" not in ids(m)
    assert "extra-personal-data-optional" in ids(m)


def test_field_classification_fr_en() -> None:
    assert classify_field(ff("dateNaissance", "")) == "birth-date"
    assert classify_field(ff("x", "Adresse électronique")) == "email"
    assert classify_field(ff("x", "Nom d'utilisateur")) == "pseudonym"
    assert classify_field(ff("code_postal", "Code postal")) == "address"
    assert classify_field(ff("cgu", "J'accepte les conditions", type="checkbox")) == "terms"
    assert classify_field(ff("news", "Recevoir la newsletter", type="checkbox")) == "preference"
    assert classify_field(ff("last_name", "Last name")) == "name"
    assert count_sentences(1, 1, 1)[0] == ("The sign-up asks 1 field on 1 screen; 1 of them "
                                           "asks for personal data that is not needed to take "
                                           "part.")


# --------------------------------------------------------------------------- P10 CAPTCHA


def captcha_run(*, fields: Sequence[FormField] = (), prose: str = "",
                requests: tuple[str, ...] = (), microcopy: tuple[str, ...] = ()
                ) -> SignupMeasures:
    page = inclusive_signup_page(
        fields=[*inclusive_fields(), *fields],
        main_prose=prose or "Créez votre compte.", requests=requests,
        microcopy=[*SIGNUP_MICROCOPY, *microcopy])
    return measure_signup(inclusive_run(signup_page=page))


def test_p10_arithmetic_captcha_is_blocking() -> None:
    m = captcha_run(fields=[ff("captcha", "")], prose="Combien font sept plus cinq ?")
    f = finding(m, "captcha-cognitive")
    assert f.blocking and f.points == -25 and check(m, "P10") == "fail"
    assert {"WCAG", "RGAA", "W3C", "DINUM"} <= {s.kind for s in f.sources}
    assert m.captcha.challenge == "arithmetic" and m.captcha.alternative_offered is None


def test_p10_arithmetic_captcha_with_franceconnect_is_not_blocking() -> None:
    m = captcha_run(fields=[ff("captcha", "")], prose="Combien font sept plus cinq ?",
                    microcopy=("S'identifier avec FranceConnect",))
    assert "captcha-cognitive" not in ids(m)
    assert finding(m, "captcha-present").points == -25


def test_p10_third_party_visible_and_invisible() -> None:
    v2 = captcha_run(requests=("https://www.google.com/recaptcha/api.js",
                               "https://www.google.com/recaptcha/api2/anchor?k=x&size=normal"))
    assert finding(v2, "captcha-present").severity == "major"
    assert "captcha-cognitive" not in ids(v2)
    v3 = captcha_run(requests=("https://www.google.com/recaptcha/api.js?render=6Lc_abc",))
    f = finding(v3, "captcha-invisible")
    assert (f.severity, f.points) == ("info", -5)
    turnstile = captcha_run(requests=(
        "https://challenges.cloudflare.com/turnstile/v0/api.js",))
    assert "captcha-invisible" in ids(turnstile)
    geetest = captcha_run(requests=("https://static.geetest.com/v4/gt4.js",))
    assert "captcha-cognitive" in ids(geetest)


def test_p10_a_mention_of_captcha_is_not_a_captcha() -> None:
    m = captcha_run(prose="Ce site est protégé par reCAPTCHA.")
    assert not m.captcha.present and check(m, "P10") == "pass"


# --------------------------------------------------------------------------- P11 confirmation


def test_p11_email_link_step_and_blocking_text() -> None:
    steps = (*SIGNUP_STEPS, step(5, "open_email_link", value="https?://", navigated=True))
    m = measure_signup(inclusive_run(steps=steps))
    f = finding(m, "email-confirmation-required")
    assert (f.points, f.severity) == (-10, "minor")
    assert m.confirmation.blocks_participation is None
    pending = welcome_page(prose="Un courriel de confirmation vous a été envoyé. Cliquez sur "
                                 "le lien avant de pouvoir déposer un projet.")
    m2 = measure_signup(inclusive_run(after=[pending]))
    assert m2.confirmation.via == ["page text"] and m2.confirmation.blocks_participation
    assert finding(m2, "email-confirmation-required").severity == "major"


def test_p11_text_before_submit_or_negated_does_not_count() -> None:
    # the inclusive form says "no need to confirm your e-mail address": not a requirement
    negated = welcome_page(prose="Vous n'avez pas besoin de confirmer votre adresse e-mail.")
    m = measure_signup(inclusive_run(after=[negated]))
    assert "email-confirmation-required" not in ids(m)
    assert m.confirmation.status == "not_required"
    nothing_after = measure_signup(inclusive_run(after=[]))
    assert nothing_after.confirmation.status == "not_observed"


def test_p11_sms_and_typed_code() -> None:
    code_page = cp(1, path="/inscription/code", title="Vérification",
                   headings=["Vérification"], step_index=4,
                   main_prose="Nous vous avons envoyé un code par SMS.",
                   fields=[ff("code", "Code de vérification", required=True)])
    m = measure_signup(inclusive_run(after=[code_page]))
    assert "sms-confirmation-required" in ids(m)
    f = finding(m, "confirmation-code-typed")
    assert f.points == -15 and m.confirmation.code_must_be_typed is True


# --------------------------------------------------------------------------- P12 provider


def test_p12_identity_provider_is_positive_and_capped() -> None:
    page = inclusive_signup_page(microcopy=[*SIGNUP_MICROCOPY,
                                            "S'identifier avec FranceConnect"])
    m = measure_signup(inclusive_run(signup_page=page))
    f = finding(m, "identity-provider-offered")
    assert (f.severity, f.points) == ("positive", 10)
    assert m.identity_providers == ["FranceConnect"] and check(m, "P12") == "pass"
    assert m.score.raw == 110 and m.score.score == 100


# --------------------------------------------------------------------------- P13 values kept


def test_p13_values_kept_lost_or_not_observed() -> None:
    lost = measure_signup(inclusive_run(probes=[inclusive_probe(values_kept=False)]))
    assert finding(lost, "values-lost-after-error").points == -10
    kept = measure_signup(inclusive_run(probes=[inclusive_probe(values_kept=True)]))
    assert check(kept, "P13") == "pass" and kept.values_kept_after_error is True
    rerender = inclusive_signup_page(1, errors=["Le mot de passe doit faire 8 caractères."],
                                     step_index=4)
    unknown = measure_signup(inclusive_run(after=[rerender, welcome_page(2)]))
    assert check(unknown, "P13") == "not_observed"
    assert "[1]" in next(c.detail for c in unknown.checks if c.id == "P13")
    assert "values-lost-after-error" not in ids(unknown)


# --------------------------------------------------------------------------- errors


def test_opaque_error_messages_on_signup_pages() -> None:
    opaque = inclusive_signup_page(1, errors=["Erreur de saisie."], step_index=4)
    m = measure_signup(inclusive_run(after=[opaque, welcome_page(2)]))
    f = finding(m, "opaque-error-message")
    assert "Erreur de saisie." in f.detail
    assert {"3.3.1", "3.3.3"} <= {s.ref for s in f.sources}
    assert "NIST" in {s.kind for s in f.sources}
    clear = inclusive_signup_page(1, errors=["Le mot de passe doit contenir au moins 8 "
                                             "caractères."], step_index=4)
    assert "opaque-error-message" not in ids(measure_signup(
        inclusive_run(after=[clear, welcome_page(2)])))


# --------------------------------------------------------------------------- other forms


def test_other_password_forms_are_reported_apart_and_counted_once() -> None:
    bad_login = journey("vote", [login_page(20, journey_id="vote", paste_blocked=True,
                                            maxlength=16, toggle=False, path="/vote/login")])
    # the proposal journey's log-in seen again in another journey is one form, not two
    same_again = journey("comment", [login_page(30, journey_id="comment")])
    m = measure_signup(inclusive_run(extra_journeys=[bad_login, same_again]))
    assert ids(m) == []
    assert len(m.other_forms) == 2
    assert next(o for o in m.other_forms if o.journey_id == "proposal").checkpoints == [10, 30]
    forms = {o.journey_id: o for o in m.other_forms}
    assert [f.id for f in forms["vote"].findings] == [
        "paste-blocked", "password-max-length", "show-password-missing"]
    assert forms["proposal"].findings == []
    assert m.score.score == 100 - 30 - 20 - 10
    assert {line.form for line in m.score.lines} == {
        "log-in form, https://participer.example.fr/vote/login"}


def test_a_probe_of_the_log_in_form_is_not_read_as_the_sign_up_probe() -> None:
    # as in the real exclusionary run: the runner also probes the log-in page of the journey
    signup_page = inclusive_signup_page()
    login = login_page(1, journey_id="sign-up", toggle=True)
    login_probe = probe(attempt("C64", 64, ["lower", "space"], kept=12), checkpoint=1,
                        show_toggle=False)
    login_probe.field_selector = "[name=\"mot_de_passe\"]"
    r = run(journey("sign-up", [signup_page, login], SIGNUP_STEPS,
                    [inclusive_probe(), login_probe]))
    m = measure_signup(r)
    assert ids(m) == [] and m.show_password == "present"
    assert m.password is not None and m.password.truncates_silently is False
    (other,) = m.other_forms
    assert [f.id for f in other.findings] == ["show-password-missing"]
    assert "probe" in other.findings[0].detail
