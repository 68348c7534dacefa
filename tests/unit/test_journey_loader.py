"""Journey files: valid ones load, and every kind of mistake gives its exact line and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.journeys.loader import ConfigError, load_config, parse_config, read_url_list
from auditor.journeys.schema import FillArgs, TargetConfig, args_of, kind_of

PRESETS = Path(__file__).resolve().parents[2] / "auditor" / "journeys" / "presets"

VALID = """\
version: 1
name: Example
base_url: https://participer.example.fr
mailbox: {dir: ./mails}
journeys:
  - id: sign-up
    title: S'inscrire
    start: /inscription
    steps:
      - click: {role: button, name: "Tout accepter"}
      - fill: {label: "Pseudonyme", value: "{{ identity.pseudonym }}"}
      - fill: {css: "#description", value: "Un texte"}
      - select: {label: "Catégorie", option: "Mobilité"}
      - check: {label: "J'accepte"}
      - upload: {label: "Justificatif", file: files/proof.pdf}
      - press: Enter
      - wait_for: {url: "**/merci"}
      - wait_for: {role: status}
      - expect: {text: "Bienvenue"}
      - checkpoint: compte-cree
      - open_email_link: {pattern: "/confirmer"}
      - goto: /propositions
        timeout: 5
"""


def errors_of(text: str, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "j.yml", environ=environ or {})
    return caught.value.lines


def test_valid_file_loads_every_step_kind() -> None:
    config = parse_config(VALID, "j.yml", environ={})
    journey = config.journeys[0]
    kinds = [kind_of(s) for s in journey.steps]
    assert kinds == ["click", "fill", "fill", "select", "check", "upload", "press", "wait_for",
                     "wait_for", "expect", "checkpoint", "open_email_link", "goto"]
    fill = args_of(journey.steps[1])
    assert isinstance(fill, FillArgs) and fill.label == "Pseudonyme"
    assert journey.steps[-1].timeout == 5
    assert config.step_line(0, 0) == 10 and config.step_line(0, 12) == 22


def test_base_url_override() -> None:
    config = parse_config(VALID, "j.yml", base_url="http://127.0.0.1:9", environ={})
    assert config.base_url == "http://127.0.0.1:9"


@pytest.mark.parametrize("preset", ["demo-inclusive", "demo-exclusionary"])
def test_shipped_presets_are_valid(preset: str) -> None:
    config = load_config(PRESETS / f"{preset}.yml")
    assert {j.id for j in config.journeys} >= {"sign-up", "proposal", "vote"}


def test_invalid_yaml_gives_line() -> None:
    text = "base_url: http://x\njourneys:\n  - id: a\n    steps: [ {goto: /x}\n"
    assert errors_of(text) == ["j.yml:5: invalid YAML: expected ',' or ']', but got "
                               "'<stream end>'"]


def test_tab_indentation_is_invalid_yaml_with_its_line() -> None:
    text = "base_url: http://x\njourneys:\n\t- id: a\n"
    (line,) = errors_of(text)
    assert line.startswith("j.yml:3: invalid YAML")


def test_unknown_step_kind_suggests_the_close_one() -> None:
    text = VALID.replace("- check: {label", "- chek: {label")
    assert errors_of(text) == [
        "j.yml:14: unknown step kind 'chek'; did you mean 'check'? (known kinds: goto, click, "
        "fill, select, check, upload, press, wait_for, expect, checkpoint, open_email_link)"]


def test_missing_value_points_at_the_step() -> None:
    text = VALID.replace('{css: "#description", value: "Un texte"}', '{css: "#description"}')
    assert errors_of(text) == ["j.yml:12: missing required key 'value' in "
                               "journeys[0].steps[2].fill"]


def test_unknown_key_in_target() -> None:
    text = VALID.replace('name: "Tout accepter"', 'nme: "Tout accepter"')
    assert errors_of(text) == ["j.yml:10: unknown key 'nme' in journeys[0].steps[0].click"]


def test_two_locators_refused() -> None:
    text = VALID.replace('{label: "Catégorie", option', '{label: "Catégorie", css: "#c", option')
    assert errors_of(text) == ["j.yml:13: journeys[0].steps[3].select: give exactly one of "
                               "role, label, text, css, placeholder (got label, css)"]


def test_missing_journeys_and_bad_base_url() -> None:
    lines = errors_of("base_url: ftp://example.org\n")
    assert lines == ["j.yml:1: base_url: String should match pattern '^https?://'",
                     "j.yml:1: missing required key 'journeys' in the file"]


def test_duplicate_key_refused() -> None:
    text = "base_url: http://x\nbase_url: http://y\njourneys: []\n"
    assert errors_of(text) == ["j.yml:2: invalid YAML: duplicate key 'base_url'"]


def test_duplicate_journey_id() -> None:
    text = ("base_url: http://x\njourneys:\n  - id: vote\n    steps: []\n"
            "  - id: vote\n    steps: []\n")
    assert errors_of(text) == ["j.yml:5: journey id 'vote' is used twice"]


def test_bad_journey_id() -> None:
    text = "base_url: http://x\njourneys:\n  - id: Sign Up\n"
    assert errors_of(text) == ["j.yml:3: journeys[0].id: String should match pattern "
                               "'^[a-z0-9][a-z0-9_-]*$'"]


def test_unset_environment_variable_names_its_line() -> None:
    text = VALID.replace('value: "Un texte"', 'value: "{{ env.AUDIT_TOKEN }}"')
    assert errors_of(text) == ["j.yml:12: environment variable AUDIT_TOKEN is not set"]
    config = parse_config(text, "j.yml", environ={"AUDIT_TOKEN": "abcd"})
    assert isinstance(config, TargetConfig)


def test_unknown_placeholder() -> None:
    text = VALID.replace("{{ identity.pseudonym }}", "{{ identity.age }}")
    assert errors_of(text) == ["j.yml:11: unknown identity field 'age' (known: email, "
                               "pseudonym, password)"]


def test_not_a_mapping() -> None:
    assert errors_of("- just a list\n") == [
        "j.yml:1: a journey file is a mapping with base_url and journeys (see `auditor schema`)"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yml")
    assert str(caught.value) == f"{tmp_path / 'nope.yml'}: no such file"


def test_url_list(tmp_path: Path) -> None:
    file = tmp_path / "urls.txt"
    file.write_text("# pages\nhttp://127.0.0.1:1/a\n\nhttps://x.test/b  # second\n")
    assert read_url_list(file) == ["http://127.0.0.1:1/a", "https://x.test/b"]
    file.write_text("http://ok.test/\nnot a url\n")
    with pytest.raises(ConfigError) as caught:
        read_url_list(file)
    assert str(caught.value) == f"{file}:2: not an http(s) URL: not a url"


def test_json_schema_covers_every_step_kind() -> None:
    schema = TargetConfig.model_json_schema()
    text = str(schema)
    for kind in ("goto", "click", "fill", "select", "check", "upload", "press", "wait_for",
                 "expect", "checkpoint", "open_email_link"):
        assert f"'{kind}'" in text
