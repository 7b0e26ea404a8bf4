"""The import rule of the package layout, checked on the installed sources.

* ``_kernels`` imports no Python module of the package;
* ``_shared`` imports only ``_kernels`` and ``_exceptions``;
* the wings import ``_shared``, ``_kernels`` and lower wings only:
  ``_classification`` < ``_ranking`` < ``_probabilistic`` < ``_inference``;
* service-side folders (``streaming`` and later ones) import wings and
  ``_shared`` (and ``streaming``, ``plot``, ``monitoring``), never the
  package ``__init__``;
* no function-level import of a cymetrics module, and no underscore name
  imported from another module (a name two modules share is not private);
* an optional third-party package (scikit-learn) is imported only in the
  rooms named for it (``cymetrics.sklearn``; ``cymetrics bench``).
"""

import ast
import pathlib

import pytest

import cymetrics

PACKAGE = pathlib.Path(cymetrics.__file__).parent
WINGS = ["_classification", "_ranking", "_probabilistic", "_inference"]
FOUNDATION = {"_kernels", "_shared", "_exceptions", "_version"}


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "tests" not in p.parts)


def _room(path):
    """The top-level folder (or module) of the package that holds ``path``."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(tree):
    """``(node, target module, imported names, at module level)`` of cymetrics imports."""
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == "cymetrics" or node.module.startswith("cymetrics.")):
            yield node, node.module, [a.name for a in node.names], id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "cymetrics" or alias.name.startswith("cymetrics."):
                    yield node, alias.name, [], id(node) in top


def _allowed(room, target):
    """Whether code in ``room`` may import the package room ``target``."""
    if target == room or target in ("_exceptions", "_version"):
        return True
    if room == "_kernels":
        return False
    if room == "_shared":
        return target == "_kernels"
    if target in ("_kernels", "_shared"):
        return True
    if room in WINGS:
        return target in WINGS and WINGS.index(target) < WINGS.index(room)
    if room in ("__init__", "__main__"):
        return True
    # Service-side folders and the CLI: wings, foundation, and the service-side
    # libraries they build on (streaming, plot, monitoring: dask reduces to its
    # drift statistics); never the package.
    return target != "__init__" and target in (WINGS + ["streaming", "plot", "monitoring"]
                                               + sorted(FOUNDATION))


MODULES = _modules()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_import_rule(path):
    room = _room(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node, module, names, at_top in _imports(tree):
        parts = module.split(".")
        target = parts[1] if len(parts) > 1 else "__init__"
        if target == "__init__" and names and len(parts) == 1:
            # ``from cymetrics import _kernels`` style: the names are rooms.
            targets = [n if n.startswith("_") or n == "streaming" else "__init__" for n in names]
        else:
            targets = [target]
        for t in targets:
            if not _allowed(room, t):
                problems.append(f"line {node.lineno}: {room} imports {module} ({t})")
        if not at_top:
            problems.append(f"line {node.lineno}: function-level import of {module}")
        private = [n for n in names if n.startswith("_") and not n.startswith("__")
                   and not (PACKAGE / pathlib.Path(*parts[1:]) / f"{n}.py").exists()
                   and not list((PACKAGE / pathlib.Path(*parts[1:])).glob(f"{n}.*"))]
        if private:
            problems.append(f"line {node.lineno}: private names {private} from {module}")
    assert not problems, "\n".join(problems)


# Optional third-party packages -> the rooms of the package that may import them:
# the scikit-learn backend, and `cymetrics bench`, which times scikit-learn as a peer.
OPTIONAL_HOMES = {"sklearn": {"sklearn", "_cli"}}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_optional_packages_only_in_their_room(path):
    room = _room(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and not node.level]
    wrong = [name for name in imported
             if room not in OPTIONAL_HOMES.get(name.partition(".")[0], {room})]
    assert not wrong, f"{room} imports {wrong}"
