"""Packages: flowgen, and its typing surface (stubs/flowgen) as the PEP 561 stub-only package
``flowgen-stubs``, so that mypy finds the stubs for an installed flowgen with no configuration.

(pyproject.toml holds the metadata; ``package_dir`` for a stub package is what only setup.py can say.)
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

STUB_ROOT = Path("stubs/flowgen")
STUBS = [
    ".".join(["flowgen-stubs", *init.parent.relative_to(STUB_ROOT).parts])
    for init in sorted(STUB_ROOT.rglob("__init__.pyi"))
]

setup(
    packages=[*find_namespace_packages(include=["flowgen", "flowgen.*"]), *STUBS],
    package_dir={"flowgen-stubs": str(STUB_ROOT)},
    package_data={"flowgen": ["py.typed", "*.json"], **{p: ["*.pyi", "py.typed"] for p in STUBS}},
)
