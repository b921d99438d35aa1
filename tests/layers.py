"""The import picture of the code, read from the source: which module imports which, at the top."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "config",
    "petitions",
    "escalation",
    "reports",
    "information",
    "public",
    "integrations",
    "webhooks",
    "devdata",
    "supervision",
    "screening",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, *, top_level_only: bool) -> set[str]:
    """The modules `module` imports: at the top (what runs on import), or anywhere in it."""
    tree = ast.parse(path.read_text(), filename=str(path))
    known = source_modules()
    found: set[str] = set()

    def visit(nodes, *, nested: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue  # annotations only
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(node, module, path.name == "__init__.py")
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in known)
            nested_body = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if nested_body and top_level_only and not isinstance(node, ast.ClassDef):
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit(getattr(node, field, []) or [], nested=nested or nested_body)

    visit(tree.body, nested=False)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def import_graph(*, top_level_only: bool = True) -> dict[str, set[str]]:
    modules = source_modules()
    return {
        name: imports_of(name, path, top_level_only=top_level_only) & set(modules) for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return result
