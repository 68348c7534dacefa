"""Measures: pure functions from a saved Run to typed values with their evidence.

No module here may import a browser driver or do I/O: measures must be recomputable offline
from run.json (``auditor score``).
"""
