"""Rule and profile files: every mistake is one ``file:line: message`` line, never a traceback;
a user directory adds (or replaces) rules and profiles without Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.scoring.rule_loader import RuleError, load_rules, parse_profile, parse_rule
from auditor.scoring.rule_model import profile_json_schema, rule_json_schema

VALID_RULE = """\
id: {id}
category: effort
indicator: effort.screens
title:
  fr: Trop d'écrans
  en: Too many screens
scoring:
  type: bands
  bands:
    - {{max: 2, score: 100}}
  otherwise: 0
weight: 1
message:
  fr: "{{value}} écrans"
  en: "{{value}} screens"
why:
  fr: Parce que.
  en: Because.
fix:
  fr: Moins d'écrans.
  en: Fewer screens.
references:
  - {{kind: WCAG, ref: "2.4.5"}}
"""

LINE = re.compile(r"^.+:\d+: \S.*$")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(text: str, stem: str = "my-rule") -> list[str]:
    with pytest.raises(RuleError) as caught:
        parse_rule(text, f"{stem}.yml", stem=stem)
    lines = caught.value.lines
    assert all(LINE.match(line) for line in lines), lines
    return lines


def test_valid_rule_parses() -> None:
    rule = parse_rule(VALID_RULE.format(id="my-rule"), "my-rule.yml", stem="my-rule")
    assert rule.id == "my-rule" and rule.scoring.bands[0].score == 100


def test_invalid_yaml_points_at_its_line() -> None:
    text = VALID_RULE.format(id="my-rule").replace("weight: 1", "weight: [1")
    assert errors_of(text)[0].startswith("my-rule.yml:")
    assert "invalid YAML" in errors_of(text)[0]


def test_unknown_key_suggests_the_right_one() -> None:
    text = VALID_RULE.format(id="my-rule").replace("title:", "titel:")
    assert errors_of(text) == [
        "my-rule.yml:1: missing required key 'title' in the file",
        "my-rule.yml:4: unknown key 'titel' in the file; did you mean 'title'?",
    ]


def test_unknown_nested_key() -> None:
    text = VALID_RULE.format(id="my-rule").replace("  otherwise: 0", "  otherwize: 0")
    assert errors_of(text) == [
        "my-rule.yml:11: unknown key 'otherwize' in scoring; did you mean 'otherwise'?"]


def test_missing_key() -> None:
    text = VALID_RULE.format(id="my-rule").replace("why:\n  fr: Parce que.\n  en: Because.\n",
                                                   "")
    assert errors_of(text) == ["my-rule.yml:1: missing required key 'why' in the file"]


def test_bad_category_value() -> None:
    text = VALID_RULE.format(id="my-rule").replace("category: effort", "category: efort")
    (line,) = errors_of(text)
    assert line.startswith("my-rule.yml:2: category: Input should be 'accessibility'")


def test_band_with_both_bounds() -> None:
    text = VALID_RULE.format(id="my-rule").replace("{max: 2, score: 100}",
                                                   "{max: 2, min: 1, score: 100}")
    assert errors_of(text) == [
        "my-rule.yml:10: scoring.bands[0]: a band has exactly one of 'max' or 'min'"]


def test_id_must_match_the_file_name() -> None:
    assert errors_of(VALID_RULE.format(id="other-rule")) == [
        "my-rule.yml:1: id 'other-rule' differs from the file name 'my-rule' (name the file "
        "other-rule.yml)"]


def test_id_must_be_kebab_case() -> None:
    (line,) = errors_of(VALID_RULE.format(id="My_Rule"), stem="My_Rule")
    assert line.startswith("My_Rule.yml:1: id: String should match pattern")


def test_unknown_indicator_suggests_one() -> None:
    text = VALID_RULE.format(id="my-rule").replace("effort.screens", "effort.screen")
    (line,) = errors_of(text)
    assert line.startswith("my-rule.yml:3: unknown indicator 'effort.screen'; did you mean "
                           "'effort.screens'?")


def test_unknown_placeholder_points_at_the_message_line() -> None:
    text = VALID_RULE.format(id="my-rule").replace('"{value} écrans"', '"{valeur} écrans"')
    assert errors_of(text) == [
        "my-rule.yml:14: message.fr: unknown placeholder '{valeur}' for indicator "
        "'effort.screens'; did you mean '{value}'?"]


def test_not_a_mapping() -> None:
    assert errors_of("- just\n- a list\n") == [
        "my-rule.yml:1: a rule file is a mapping of keys (see `auditor rules schema`)"]


def test_profile_errors_are_located(tmp_path: Path) -> None:
    write(tmp_path, "my-rule.yml", VALID_RULE.format(id="my-rule"))
    write(tmp_path, "profiles/mine.yml", """\
id: mine
title: {fr: Le mien, en: Mine}
extends: nowhere
rules: ["my-rule", "no-such-rule"]
overrides:
  paste-blockd:
    weight: 2
  my-rule:
    scoring:
      fail_when: false
      bands: []
""")
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    source = str(tmp_path / "profiles" / "mine.yml")
    assert caught.value.lines == [
        f"{source}:4: rules: unknown rule 'no-such-rule'",
        f"{source}:6: overrides: unknown rule 'paste-blockd'; did you mean 'paste-blocked'?",
        f"{source}:8: overrides.my-rule: scoring type 'bands' needs at least one band",
        f"{source}:3: extends unknown profile 'nowhere' (known: default, mine, strict)",
    ]


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "first-rule.yml", VALID_RULE.format(id="first-rule").replace(
        "weight: 1", "weight: -1"))
    write(tmp_path, "second-rule.yml", VALID_RULE.format(id="second-rule").replace(
        "effort.screens", "nothing.here"))
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    assert [line.split(": ", 1)[0] for line in caught.value.lines] == [
        f"{tmp_path / 'first-rule.yml'}:12", f"{tmp_path / 'second-rule.yml'}:3"]


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path / "absent"])
    assert caught.value.lines == [f"{tmp_path / 'absent'}: no such directory of rules"]


def test_user_directory_adds_a_rule_and_a_profile(tmp_path: Path) -> None:
    write(tmp_path, "my-rule.yml", VALID_RULE.format(id="my-rule"))
    write(tmp_path, "profiles/mine.yml", """\
id: mine
title: {fr: Le mien, en: Mine}
extends: strict
rules: ["my-rule", "paste-*", "sentence-length"]
overrides:
  sentence-length:
    weight: 9
""")
    rules = load_rules([tmp_path])
    assert "my-rule" in rules.rules and "paste-blocked" in rules.rules
    assert rules.rule_files["my-rule"] == tmp_path / "my-rule.yml"
    chosen = {r.id: r for r in rules.effective_rules("mine")}
    assert sorted(chosen) == ["my-rule", "paste-blocked", "sentence-length"]
    # Its own override wins; what it does not set comes from strict (12-word bands).
    assert chosen["sentence-length"].weight == 9
    assert chosen["sentence-length"].scoring.bands[0].max == 12
    assert rules.profile("mine").blocking_cap == "D"


def test_user_rule_replaces_a_shipped_one(tmp_path: Path) -> None:
    shipped = load_rules().rules["journey-screens"]
    text = VALID_RULE.format(id="journey-screens").replace("weight: 1", "weight: 7")
    write(tmp_path, "journey-screens.yml", text)
    replaced = load_rules([tmp_path]).rules["journey-screens"]
    assert shipped.weight == 1 and replaced.weight == 7


def test_profile_text_alone_and_extends_loop(tmp_path: Path) -> None:
    profile = parse_profile("id: solo\ntitle: {fr: Seul, en: Alone}\n", "solo.yml", stem="solo")
    assert profile.rules == ["*"]
    write(tmp_path, "my-rule.yml", VALID_RULE.format(id="my-rule"))
    write(tmp_path, "profiles/a.yml", "id: a\ntitle: {fr: A, en: A}\nextends: b\n")
    write(tmp_path, "profiles/b.yml", "id: b\ntitle: {fr: B, en: B}\nextends: a\n")
    with pytest.raises(RuleError) as caught:
        load_rules([tmp_path])
    assert any(line.startswith(f"{tmp_path / 'profiles' / 'a.yml'}:3: ") and "loop" in line
               for line in caught.value.lines), caught.value.lines


def test_json_schemas_validate_the_shipped_files() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from auditor.paths import shipped_dir

    rules_dir = shipped_dir("rules")
    rule_schema, profile_schema = rule_json_schema(), profile_json_schema()
    for path in sorted(rules_dir.glob("*.yml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), rule_schema)
    for path in sorted((rules_dir / "profiles").glob("*.yml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), profile_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x"}, rule_schema)
