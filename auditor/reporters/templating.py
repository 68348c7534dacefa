"""The Jinja2 environments of the reporters, loading ``reports_templates/``.

Two environments because HTML and Markdown escape differently:

- HTML: ``autoescape=True`` everywhere, so any text from the audited site (a page title, a
  sentence, a selector) is escaped unless code wraps it in ``Markup`` on purpose.
- Markdown: no HTML autoescape, but a ``finalize`` hook runs :func:`md_escape` on every
  ``{{ expression }}``; the template marks trusted Markdown with ``MdSafe``. Escaping is the
  default, as in the HTML report, so a forgotten filter cannot break a pull-request comment.

Both are ``StrictUndefined``: a misspelt variable fails the test suite instead of leaving a
blank in a report. Data never becomes a template, so ``{{ 7*7 }}`` in a page stays text.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from auditor.paths import shipped_dir
from auditor.reporters.markdown_text import MdSafe, md_escape


def _loader() -> FileSystemLoader:
    return FileSystemLoader(str(shipped_dir("reports_templates")), encoding="utf-8")


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    return Environment(loader=_loader(), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       auto_reload=False)


def _finalize_markdown(value: object) -> object:
    if isinstance(value, MdSafe):
        return str(value)
    if isinstance(value, str):
        return md_escape(value)
    return value


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    env = Environment(loader=_loader(), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_finalize_markdown, auto_reload=False)
    env.globals["MdSafe"] = MdSafe
    return env
