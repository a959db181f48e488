"""Rules of the code's shape that import-linter (the contracts in pyproject.toml, run by `make test`
before pytest) cannot check: no module of marketplace/ uses another domain's `_private` name, and
the "for sale" rule is written once."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "marketplace"


def _domain(module: str) -> str:
    """marketplace.orders.services -> orders; marketplace.site -> site; marketplace -> marketplace."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def private_uses(source: str, module: str) -> list[str]:
    """Every use in `source` (the code of `module`) of a private name of another domain's module:
    `from marketplace.orders.services import _lock`, or `services._lock` where `services` is
    another domain's module imported by name."""
    own = _domain(module)
    found: list[str] = []
    other_modules: dict[str, str] = {}  # local name -> another domain's module
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("marketplace") or _domain(node.module) == own:
                continue
            for alias in node.names:
                if _is_private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                elif _is_module(f"{node.module}.{alias.name}"):
                    other_modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("marketplace.") and _domain(alias.name) != own:
                    if any(_is_private(part) for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: import {alias.name}")
                    if alias.asname:
                        other_modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in other_modules
            and _is_private(node.attr)
        ):
            found.append(f"line {node.lineno}: {other_modules[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_a_private_name_of_another_domain() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_of(path)
        problems += [f"{module} {use}" for use in private_uses(path.read_text(encoding="utf-8"), module)]
    assert problems == [], "promote what another domain needs to a public, documented name:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize(
    "source",
    [
        "from marketplace.orders.services import _lock\n",
        "from marketplace.orders import services\nservices._move(part, 'shipped', 'p')\n",
        "from marketplace.orders import services as orders\n\ndef f():\n    return orders._IDEMPOTENCY_KEY\n",
        "import marketplace.orders.services as orders\norders._record(o, None, 'a', None, 'placed')\n",
        "def f():\n    from marketplace.search.query import _fold_word\n",
    ],
)
def test_the_private_name_check_finds_each_form_of_use(source: str) -> None:
    assert private_uses(source, "marketplace.wholesale.services")


@pytest.mark.parametrize(
    "source",
    [
        "from marketplace.orders.services import _lock\n",  # its own domain
        "from marketplace.orders import services\nservices.transition(part, 'shipped', 'p')\n",
        "from marketplace.extensions import limiter\nlimiter._check_request_limit\n",  # not a module
    ],
)
def test_the_private_name_check_lets_public_and_own_names_be(source: str) -> None:
    assert private_uses(source, "marketplace.orders.views") == []


def test_the_for_sale_rule_is_written_once() -> None:
    """Published product of a verified producer: `catalog.services.visible_condition`, nowhere else."""
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and isinstance(node.left.value, ast.Name)
                and node.left.value.id == "Product"
                and node.left.attr == "status"
                and any(isinstance(c, ast.Constant) and c.value == "published" for c in node.comparators)
            ):
                spelled.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert [place.split(":")[0] for place in spelled] == ["marketplace/catalog/services.py"], spelled
