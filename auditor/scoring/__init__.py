"""Judging: measures × rules (rules/*.yml, profiles) → Scorecard. No browser, no I/O besides
reading rule files."""
