"""Ship the top-level rules/ and reports_templates/ inside the wheel.

The project layout keeps them at the repository root (readable and editable by non-developers),
while the installed package finds them at auditor/_shipped/<name> (see auditor/paths.py).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("rules", "reports_templates")


class BuildPyWithShipped(build_py):
    """build_py that also copies the top-level data folders into the package."""

    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        for name in SHIPPED:
            source = root / name
            if source.is_dir():
                target = Path(self.build_lib) / "auditor" / "_shipped" / name
                shutil.copytree(source, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithShipped})
