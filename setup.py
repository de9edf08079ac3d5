"""Packages: flowgen, and its typing surface (stubs/flowgen) as the PEP 561 stub-only package
``flowgen-stubs``, so that mypy and pyright find the stubs for an installed flowgen with no
configuration.

(pyproject.toml holds the metadata; ``package_dir`` for a stub package is what only setup.py can say.)

Editable installs (``pip install -e .``, the README's commands): setuptools would install an
import hook for this layout (a stub package mapped from another directory), which Python
follows but static checkers do not: mypy and pyright would see neither flowgen nor its stubs,
and mypy's plugin would have no types to work with. ``PathEditable`` installs a plain ``.pth``
file instead, with two directories: the checkout's ``stubs/`` (where type checkers find
``flowgen``'s stubs first) and the checkout itself (where Python finds the ``flowgen`` package:
a regular package wins over ``stubs/flowgen``, which has no ``__init__.py``, and type checkers
find the modules the stubs do not cover, such as ``flowgen.runtime.generated``). Editable,
regular and source-checkout installs then give mypy the same files (tests/mypy/test_installs.py).
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.editable_wheel import editable_wheel

STUB_ROOT = Path("stubs/flowgen")
STUBS = [
    ".".join(["flowgen-stubs", *init.parent.relative_to(STUB_ROOT).parts])
    for init in sorted(STUB_ROOT.rglob("__init__.pyi"))
]


class PathEditable(editable_wheel):
    """``pip install -e .``: a ``.pth`` file listing the checkout's ``stubs/`` and the checkout."""

    def _select_strategy(self, name, tag, build_lib):  # type: ignore[no-untyped-def]
        from setuptools.command.editable_wheel import _StaticPth

        root = Path(self.project_dir).resolve()
        return _StaticPth(self.distribution, name, [root / "stubs", root])


setup(
    packages=[*find_namespace_packages(include=["flowgen", "flowgen.*"]), *STUBS],
    package_dir={"flowgen-stubs": str(STUB_ROOT)},
    package_data={"flowgen": ["py.typed", "*.json"], **{p: ["*.pyi", "py.typed"] for p in STUBS}},
    cmdclass={"editable_wheel": PathEditable},
)
