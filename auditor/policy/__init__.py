"""CI policy: budgets, baseline and run-to-run comparison, separate from scoring.

The scorecard says how inclusive and frugal a platform is; this package says whether a pull
request may merge. Everything here is pure (no printing, no exit, no browser): the CLI loads,
calls, prints and exits with :attr:`PolicyResult.exit_code`.

- :func:`load_policy` reads a preset (``default``, ``strict``, ``warn-only``) or a YAML file;
  :func:`policy_json_schema` documents its format for editors.
- :func:`evaluate_policy` checks each budget against a scorecard, its measures and run, and an
  optional :class:`Baseline`; :func:`render_policy_text` / :func:`render_policy_markdown` show
  the verdict.
- :func:`make_baseline`, :func:`load_baseline`, :func:`save_baseline` keep the known problems a
  team accepts for now (each with a reason and an expiry date).
- :func:`compare` pairs two scorecards: grade deltas, new, fixed and persisting problems.

Documentation for users: ``auditor/policy/README.md``.
"""

from auditor.policy.baseline import (
    Baseline,
    BaselineBreach,
    BaselineFinding,
    BaselineUpdate,
    load_baseline,
    make_baseline,
    render_baseline_update,
    save_baseline,
)
from auditor.policy.compare import (
    Comparison,
    compare,
    render_comparison_markdown,
    render_comparison_text,
)
from auditor.policy.evaluate import (
    EXIT_BUDGET_FAILED,
    EXIT_JOURNEY_BROKEN,
    EXIT_OK,
    EXIT_USAGE,
    BudgetCheck,
    BudgetResult,
    PolicyResult,
    evaluate_policy,
)
from auditor.policy.loader import (
    PolicyError,
    load_policy,
    parse_policy,
    policy_json_schema,
    preset_names,
)
from auditor.policy.measures import MEASURES
from auditor.policy.model import Budget, Policy
from auditor.policy.render import render_policy_markdown, render_policy_text

__all__ = [
    "EXIT_BUDGET_FAILED", "EXIT_JOURNEY_BROKEN", "EXIT_OK", "EXIT_USAGE", "MEASURES",
    "Baseline", "BaselineBreach", "BaselineFinding", "BaselineUpdate", "Budget", "BudgetCheck",
    "BudgetResult", "Comparison", "Policy", "PolicyError", "PolicyResult", "compare",
    "evaluate_policy", "load_baseline", "load_policy", "make_baseline", "parse_policy",
    "policy_json_schema", "preset_names", "render_baseline_update", "render_comparison_markdown",
    "render_comparison_text", "render_policy_markdown", "render_policy_text", "save_baseline",
]
