"""participation-auditor: measure how inclusive and frugal a civic participation platform is.

The pipeline is journey -> real browser -> Run (raw observations) -> measures -> rules ->
scorecard -> reports. See README.md and the architecture notes for the whole picture.
"""

__version__ = "0.1.0"
