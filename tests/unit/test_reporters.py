"""Reporters on hand-made Scorecards: goldens, escaping, structure, thumbnails, deltas, CSV.

No browser here; tests/e2e/test_html_report_a11y.py opens the HTML in Chromium and runs axe.
Goldens: ``pytest tests/unit/test_reporters.py --regen-golden`` rewrites tests/golden/*.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from PIL import Image

from auditor.reporters import (
    UnknownLanguage,
    csv_report,
    html_report,
    markdown_report,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    scorecard_json_schema,
)
from auditor.reporters.i18n import load_catalog, resolve_lang
from auditor.reporters.markdown_text import ZWSP, md_escape
from auditor.reporters.selection import diff, top_problems
from auditor.reporters.svg_charts import Bar, category_bars, grade_badge
from auditor.reporters.thumbnails import Thumbnails, encode_thumbnail
from auditor.scoring.scorecard import SCORECARD_SCHEMA_VERSION, Scorecard
from tests.unit.scorecard_samples import (
    NASTY,
    empty_scorecard,
    gradient_jpeg,
    large_scorecard,
    nasty_scorecard,
    previous_scorecard,
    sample_scorecard,
)

Golden = Callable[[str, str], None]
TEMPLATES = Path(html_report.__file__).resolve().parents[2] / "reports_templates"


@pytest.fixture
def fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Goldens must not change with each release: pin the renderer's own version."""
    monkeypatch.setattr(html_report, "__version__", "0.0.0-golden")
    monkeypatch.setattr(markdown_report, "__version__", "0.0.0-golden")


class Outline(HTMLParser):
    """Headings, ids, links, images and tags of an HTML document, for structure checks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []
        self.html_lang = ""
        self.style = ""
        self.csp = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "a" and "href" in values:
            self.hrefs.append(values["href"])
        if "src" in values:
            self.srcs.append(values["src"])
        if tag == "html":
            self.html_lang = values.get("lang", "")
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp = values["content"]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def screenshots_dir(tmp_path: Path) -> Path:
    """The sample scorecard's screenshots as real JPEG files (some are left missing)."""
    (tmp_path / "shots").mkdir()
    for i, name in enumerate(["sign-up-0", "sign-up-1", "sign-up-2", "vote-1", "home",
                              "proposal-0"]):
        gradient_jpeg(tmp_path / "shots" / f"{name}.jpg", i)
    return tmp_path


# --- goldens ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_golden(golden: Golden, fixed_version: None, lang: str) -> None:
    golden(f"report.{lang}.html", render_html(sample_scorecard(), None, lang))


def test_markdown_golden_with_previous_run(golden: Golden, fixed_version: None) -> None:
    golden("summary.fr.md", render_markdown(sample_scorecard(), previous_scorecard(),
                                            html_link="rapport villeneuve.html"))


def test_markdown_golden_english_first_run(golden: Golden, fixed_version: None) -> None:
    golden("summary.en.md", render_markdown(sample_scorecard(), lang="en", max_findings=3,
                                            html_link="https://ci.example/report.html"))


def test_json_golden(golden: Golden) -> None:
    golden("scorecard.json", render_json(sample_scorecard()))


def test_json_schema_golden(golden: Golden) -> None:
    """A change of the format shows here; it must come with a new SCORECARD_SCHEMA_VERSION."""
    golden("scorecard.schema.json",
           json.dumps(scorecard_json_schema(), indent=2, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_golden(golden: Golden, lang: str) -> None:
    golden(f"findings.{lang}.csv", render_csv(sample_scorecard(), lang))


# --- JSON ---------------------------------------------------------------------------------


def test_json_round_trips_and_validates_against_the_published_schema() -> None:
    scorecard = nasty_scorecard()
    text = render_json(scorecard)
    assert Scorecard.model_validate_json(text) == scorecard
    schema = scorecard_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(text), schema)
    assert schema["version"] == SCORECARD_SCHEMA_VERSION
    assert SCORECARD_SCHEMA_VERSION in schema["$id"]
    bad = json.loads(text)
    bad["findings"][0]["severity"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_json_keeps_accents_readable_and_ids_stable() -> None:
    text = render_json(sample_scorecard())
    assert "Accessibilité" in text and "\\u00e9" not in text
    assert render_json(sample_scorecard()) == text
    assert [f["id"] for f in json.loads(text)["findings"]][0] == "paste-blocked-3f9a1c"


# --- languages ----------------------------------------------------------------------------


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    french, english = load_catalog("fr"), load_catalog("en")
    assert set(french) == set(english)
    placeholder = re.compile(r"{(\w+)}")
    for key in french:
        assert set(placeholder.findall(french[key])) == set(placeholder.findall(english[key])), key


def test_every_message_key_used_in_code_and_templates_exists() -> None:
    sources = [*TEMPLATES.glob("*.j2"), *Path(html_report.__file__).parent.glob("*.py")]
    used = set()
    for source in sources:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""",
                               source.read_text(encoding="utf-8")))
    assert len(used) > 40
    assert used <= set(load_catalog("fr")), used - set(load_catalog("fr"))


def test_language_choice() -> None:
    french = sample_scorecard()
    english = french.model_copy(update={"lang": "en"})
    assert resolve_lang(french, None) == "fr" and resolve_lang(english, None) == "en"
    assert resolve_lang(french, "EN") == "en" and resolve_lang(english, "fr-FR") == "fr"
    with pytest.raises(UnknownLanguage):
        resolve_lang(french, "de")
    assert '<html lang="fr">' in render_html(french, None)
    assert '<html lang="en">' in render_html(french, None, "en")
    assert '<html lang="en">' in render_html(english, None)


def test_english_report_has_no_french_ui_text_left() -> None:
    html = render_html(sample_scorecard(), None, "en")
    for french_word in ("Résumé", "Sommaire", "Comment corriger", "Étape", "Parcours "):
        assert french_word not in html
    assert "The password cannot be pasted" in html and "How to fix it" in html


# --- HTML structure and safety ------------------------------------------------------------


def test_html_structure_is_accessible_by_construction() -> None:
    html = render_html(sample_scorecard(), None)
    doc = outline(html)
    assert doc.html_lang == "fr"
    assert doc.headings.count(1) == 1 and doc.headings[0] == 1
    for before, after in zip(doc.headings, doc.headings[1:], strict=False):
        assert after <= before + 1, f"heading h{before} followed by h{after}"
    assert len(doc.ids) == len(set(doc.ids)), "duplicate ids"
    internal = [h[1:] for h in doc.hrefs if h.startswith("#")]
    assert internal and set(internal) <= set(doc.ids), set(internal) - set(doc.ids)
    assert {"header", "nav", "main", "footer"} <= set(doc.tags)
    assert doc.hrefs[0] == "#main"  # skip link first
    assert html.count("<caption") == html.count("<table")


def test_html_is_self_contained_without_script() -> None:
    html = render_html(nasty_scorecard(), None)
    doc = outline(html)
    assert "script" not in doc.tags and "link" not in doc.tags and "iframe" not in doc.tags
    assert all(src.startswith("data:") for src in doc.srcs)
    assert "@import" not in doc.style and "url(" not in doc.style
    digest = base64.b64encode(hashlib.sha256(doc.style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in doc.csp and "default-src 'none'" in doc.csp
    assert ' style="' not in html  # would be blocked by the policy


def test_html_escapes_everything_from_the_site() -> None:
    html = render_html(nasty_scorecard(), None)
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html
    assert "{{ 7*7 }}" in html and "&lt;/b&gt; 49" not in html
    doc = outline(html)
    assert not [h for h in doc.hrefs if not h.startswith(("#", "https://", "http://"))]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in doc.ids)


def test_html_thumbnails_embedded_once_and_missing_ones_skipped(tmp_path: Path) -> None:
    run_dir = screenshots_dir(tmp_path)
    html = render_html(sample_scorecard(), run_dir)
    images = re.findall(r'<img src="(data:image/(?:webp|jpeg);base64,[^"]+)"', html)
    assert len(images) == len(set(images)) == 6  # six screenshot files, each shown once
    # A later use links to the first: the paste-blocked place points at the step strip.
    details = html[html.index('id="journey-details"'):]
    assert "<a href=\"#s-sign-up-1\">Étape 2\xa0: Choisir un mot de passe</a>" in details
    assert html.count("Pas de capture") == 2  # a step without screenshot, a failed step
    assert "missing.jpg" not in html
    without = render_html(sample_scorecard(), tmp_path / "nowhere")
    assert "data:image" not in without and without.count("Pas de capture") == 7  # all steps


def test_html_path_traversal_screenshot_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    gradient_jpeg(secret, 1, (64, 64))
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    thumbnails = Thumbnails(run_dir)
    assert thumbnails.get("../secret.jpg") is None
    assert thumbnails.get(str(secret)) is None  # absolute paths too


def test_html_weight_budget_unit(tmp_path: Path) -> None:
    html = render_html(large_scorecard(tmp_path), tmp_path)
    assert len(html.encode()) < 300_000
    assert len(re.findall(r"<img ", html)) == 12


def test_reporters_do_not_mutate_the_scorecard(tmp_path: Path) -> None:
    scorecard = sample_scorecard()
    previous = previous_scorecard()
    before = (scorecard.model_dump(), previous.model_dump())
    render_html(scorecard, screenshots_dir(tmp_path))
    render_markdown(scorecard, previous)
    render_json(scorecard)
    render_csv(scorecard)
    assert (scorecard.model_dump(), previous.model_dump()) == before


def test_an_empty_scorecard_still_renders_everywhere() -> None:
    scorecard = empty_scorecard()
    html = render_html(scorecard, None)
    assert "<table" not in html and "The automated checks found no problem." in html
    assert "Inclusion: no grade" in unescape(html)
    markdown = render_markdown(scorecard, empty_scorecard())
    assert "The automated checks found no problem." in markdown
    assert "first measure" not in markdown and "| Inclusion | **–** | not scored | = |" in markdown
    assert render_csv(scorecard).count("\r\n") == 1
    assert Scorecard.model_validate_json(render_json(scorecard)) == scorecard


def test_capped_grade_and_ungraded_journey_are_said_in_words() -> None:
    html = unescape(render_html(sample_scorecard(), None)).replace("\xa0", " ")
    assert "Note plafonnée à D : le collage du mot de passe est bloqué" in html
    assert "Inclusion : pas de note" in html  # badge title of the failed vote journey
    assert "Inclusion : non noté" in html


def test_top_five_problems_are_the_most_serious() -> None:
    top = top_problems(sample_scorecard(), 5)
    assert [k.finding.severity for k in top] == ["blocking", "major", "major", "minor", "minor"]
    assert all(k.similar == 0 for k in top)


def test_top_problems_are_five_different_problems(tmp_path: Path) -> None:
    """One finding per rule and page must not fill the top five with a single problem."""
    top = top_problems(large_scorecard(tmp_path), 5)
    assert len({k.finding.rule_id for k in top}) == 5
    assert all(k.finding.blocking for k in top[:1]) and top[0].similar > 0
    assert all(k.finding.severity not in ("positive", "info") for k in top)
    html = unescape(render_html(large_scorecard(tmp_path), None)).replace("\xa0", " ")
    assert f"Même problème ailleurs : {top[0].similar}" in html


# --- SVG ----------------------------------------------------------------------------------


def test_grade_badge_is_an_image_with_a_text_alternative() -> None:
    svg = grade_badge("C", "Inclusion : note C <sur> A–G", "b1")
    assert 'role="img"' in svg and 'aria-labelledby="b1"' in svg
    assert '<title id="b1">Inclusion : note C &lt;sur&gt; A–G</title>' in svg
    assert ">C</text>" in svg  # the letter is written, not only coloured
    assert "role=\"img\"" in grade_badge(None, "no grade", "b2", with_scale=False)


def test_category_bars_scale_and_describe_values() -> None:
    svg = category_bars([Bar("Accès <b>", 50, "D", "50/100 · D"), Bar("Sobriété", None, None,
                                                                       "non noté")],
                        "Notes", "Accès : 50/100", "c")
    assert 'aria-labelledby="c-t c-d"' in svg and "<desc id=\"c-d\">" in svg
    assert 'width="31.0%"' in svg  # half of the 62 % track
    assert "Accès &lt;b&gt;" in svg and "non noté" in svg


# --- thumbnails ---------------------------------------------------------------------------


def test_thumbnail_of_a_full_hd_screenshot_is_small(tmp_path: Path) -> None:
    gradient_jpeg(tmp_path / "shot.jpg", 3)
    thumb = Thumbnails(tmp_path).get("shot.jpg")
    assert thumb is not None
    assert (thumb.width, thumb.height) == (320, 180)
    assert thumb.byte_size < 20_000
    payload = base64.b64decode(thumb.data_uri.split(",", 1)[1])
    assert Image.open(io.BytesIO(payload)).size == (320, 180)


def test_thumbnail_of_a_tall_page_keeps_its_top(tmp_path: Path) -> None:
    tall = Image.new("RGB", (720, 3000), "white")
    tall.paste((200, 0, 0), (0, 0, 720, 300))
    thumb = encode_thumbnail(tall, fmt="JPEG")
    assert (thumb.width, thumb.height) == (320, 400)
    assert thumb.data_uri.startswith("data:image/jpeg;base64,")
    picture = Image.open(io.BytesIO(base64.b64decode(thumb.data_uri.split(",", 1)[1])))
    red, green, _ = picture.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
    assert red > 150 and green < 80


def test_thumbnail_of_a_broken_or_missing_file_is_none(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (tmp_path / "notes.txt").write_text("hello")
    thumbnails = Thumbnails(tmp_path)
    assert thumbnails.get("broken.jpg") is None
    assert thumbnails.get("notes.txt") is None
    assert thumbnails.get("absent.jpg") is None
    assert thumbnails.get("") is None
    assert Thumbnails(None).get("shot.jpg") is None


def test_small_images_are_not_enlarged() -> None:
    thumb = encode_thumbnail(Image.new("RGB", (100, 50), "blue"), fmt="WEBP")
    assert (thumb.width, thumb.height) == (100, 50)
    assert thumb.data_uri.startswith("data:image/webp;base64,")


# --- Markdown -----------------------------------------------------------------------------


def table_cells(line: str) -> int:
    """Cells of a Markdown table row, counting only unescaped pipes."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_markdown_escapes_site_content() -> None:
    text = render_markdown(nasty_scorecard(), lang="en", max_findings=20)
    assert "<script" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    assert "@everyone" not in text and f"@{ZWSP}everyone" in text
    assert "#12" not in text and f"#{ZWSP}12" in text
    assert "\\`code\\`" in text and "\\|" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "Vote" in line]
    assert rows and all(table_cells(row) == 4 for row in rows), rows


@pytest.mark.parametrize("raw, expected", [
    ("a | b", "a \\| b"),
    ("`x`", "\\`x\\`"),
    ("<img src=x>", "&lt;img src=x&gt;"),
    ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
    ("line\nbreak\r\nagain", "line break again"),
    ("# title", "\\# title"),
    ("- item", "\\- item"),
    ("12. item", "12\\. item"),
    ("*bold* _it_ ~~s~~ $x$", "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\$x\\$"),
    ("ping @octocat", f"ping @{ZWSP}octocat"),
    ("R&D", "R&amp;D"),
    ("Accessibilité : 3,2 Mo (voir page).", "Accessibilité : 3,2 Mo (voir page)."),
])
def test_md_escape(raw: str, expected: str) -> None:
    assert md_escape(raw) == expected


def test_md_escape_cuts_long_text() -> None:
    assert len(md_escape("mot " * 500, limit=50)) <= 50
    assert md_escape("mot " * 500, limit=50).endswith("…")


def test_markdown_deltas_against_previous_run() -> None:
    text = render_markdown(sample_scorecard(), previous_scorecard()).replace("\xa0", " ")
    assert "| Inclusion | **D** | 48 | +13 (E → D) |" in text
    assert "| Sobriété | **C** | 67 | = |" in text
    assert "| Accessibilité | C | 61 | +13 (D → C) |" in text
    assert "nouveaux 1, corrigés 1, toujours là 4" in text
    assert "Des phrases trop longues · **nouveau**" in text
    assert "Un CAPTCHA d'images sans autre choix" in text  # fixed, listed


def test_markdown_without_previous_has_no_change_column() -> None:
    text = render_markdown(sample_scorecard())
    assert "Évolution" not in text and "nouveau" not in text


def test_markdown_limits_findings_and_links_the_html_report() -> None:
    text = render_markdown(sample_scorecard(), max_findings=2,
                           html_link="out/rapport final.html").replace("\xa0", " ")
    assert re.search(r"^2\. ", text, re.M) and not re.search(r"^3\. ", text, re.M)
    assert "Autres problèmes, dans le rapport complet : 3." in text
    assert "(out/rapport%20final.html)" in text


def test_run_diff_matches_findings_by_id() -> None:
    changes = diff(sample_scorecard(), previous_scorecard())
    assert [f.id for f in changes.new] == ["sentence-length-9e8d7c"]
    assert [f.id for f in changes.fixed] == ["captcha-cognitive-aa11bb"]
    assert changes.persisting == 4
    assert changes.headlines["inclusion"].grade_changed
    assert not changes.headlines["frugality"].grade_changed


def test_markdown_states_versions_mode_and_date() -> None:
    text = render_markdown(sample_scorecard(), lang="en")
    footer = text.strip().splitlines()[-1]
    for part in ("axe-core 4", "Chromium 142", "desktop computer", "1920×1080", "dry run",
                 "26 November 2025", "profile default"):
        assert part.replace("-", "\\-") in footer or part in footer, part


# --- CSV ----------------------------------------------------------------------------------


def read_csv(text: str, delimiter: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def test_csv_one_row_per_finding_with_bom_and_language_separator() -> None:
    scorecard = sample_scorecard()
    french = read_csv(render_csv(scorecard), ";")
    english = read_csv(render_csv(scorecard, "en"), ",")
    for rows in (french, english):
        assert len(rows) == len(scorecard.findings) + 1
        assert {len(row) for row in rows} == {len(csv_report.COLUMNS)}
    assert french[0][:3] == ["id", "règle", "catégorie"]
    assert english[1][:5] == ["paste-blocked-3f9a1c", "paste-blocked", "Sign-up and password",
                              "Blocking", "yes"]
    assert english[1][6:9] == ["2", "https://participer.villeneuve.example.fr/inscription?"
                               "etape=2", "#password-confirm | Confirmez le mot de passe"]
    assert "WCAG 3.3.8" in english[1][12] and "<https://www.w3.org/" in english[1][12]
    label = next(row for row in english if row[1] == "label")
    assert label[-1] == "4"  # four places, one row
    assert render_csv(scorecard, "en", delimiter="\t").splitlines()[0].count("\t") == 13


def test_csv_neutralises_formulas_and_keeps_markup_as_text() -> None:
    rows = read_csv(render_csv(nasty_scorecard(), "en"), ",")
    nasty = next(row for row in rows if row[1] == "page-title")
    assert nasty[11] == "'=HYPERLINK(\"http://evil.example\")"
    assert NASTY in nasty[8]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_uses_crlf_line_ends() -> None:
    text = render_csv(sample_scorecard())
    assert text.count("\r\n") >= len(sample_scorecard().findings) + 1
