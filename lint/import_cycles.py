"""An import-linter contract: no import circle between modules (``a`` imports ``b`` … imports ``a``),
counting imports inside functions and under ``TYPE_CHECKING`` too.

The built-in ``acyclic_siblings`` contract works on packages: there the feature packages and
``handlers/config.py`` (which gathers every feature's config section) import each other by design,
while no module does. Registered in ``pyproject.toml`` (``contract_types``); ``lint-imports`` finds
this file because it puts the project folder on ``sys.path``.
"""

from __future__ import annotations

from collections.abc import Iterator

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class AcyclicModulesContract(Contract):
    """Options: ``packages``, the packages whose modules may not import each other in a circle."""

    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        roots = tuple(str(package) for package in self.packages)  # type: ignore[attr-defined]
        modules = {m for m in graph.modules if m in roots or m.startswith(tuple(r + "." for r in roots))}
        cycles = [_one_cycle(graph, component) for component in _circles(graph, modules)]
        return ContractCheck(kept=not cycles, warnings=[], metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join([*cycle, cycle[0]]), bold=False)
            output.new_line()


def _circles(graph: ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm, iterative)."""

    def imported(module: str) -> Iterator[str]:
        return iter(sorted(graph.find_modules_directly_imported_by(module) & modules))

    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def enter(module: str) -> tuple[str, Iterator[str]]:
        index[module] = low[module] = len(index)
        stack.append(module)
        return module, imported(module)

    for start in sorted(modules - index.keys()):
        if start in index:
            continue
        work = [enter(start)]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    work.append(enter(child))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                at = stack.index(node)
                component, stack[at:] = stack[at:], []
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def _one_cycle(graph: ImportGraph, component: list[str]) -> list[str]:
    """One concrete circle through the component's first module, to show where to cut."""
    first = component[0]
    inside = set(component)
    step = min(graph.find_modules_directly_imported_by(first) & inside)
    back = graph.find_shortest_chain(importer=step, imported=first) or (step,)
    return [first, *back[:-1]] if back[-1] == first else [first, *back]
