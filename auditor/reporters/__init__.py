"""Reporters: pure ``Scorecard → text`` functions. They never print, exit or mutate.

- :func:`render_html`: one self-contained, accessible HTML file (summary first, then details);
- :func:`render_markdown`: a short summary for a pull-request comment or a CI job summary;
- :func:`render_json` and :func:`scorecard_json_schema`: the full scorecard and its schema;
- :func:`render_csv`: the findings, one row each, for spreadsheets.

Templates and the FR/EN message catalogs live in ``reports_templates/`` (shipped in the wheel).
"""

from auditor.reporters.csv_report import render_csv
from auditor.reporters.html_report import render_html
from auditor.reporters.i18n import UnknownLanguage
from auditor.reporters.json_report import render_json, scorecard_json_schema
from auditor.reporters.markdown_report import render_markdown

__all__ = ["UnknownLanguage", "render_csv", "render_html", "render_json", "render_markdown",
           "scorecard_json_schema"]
