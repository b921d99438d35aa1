"""The shape of the code, checked: no import circles, the app arrows of DESIGN.md, the layers inside
petitions, and no two modules of petitions with the same name (a newcomer guesses where a thing lives)."""

from collections import Counter

import pytest

from tests.layers import ROOT, cycles, import_graph, source_modules

# Which app may import which (DESIGN.md "Architecture"); config may import the apps it configures.
ALLOWED_APPS = {
    "petitions": {"petitions", "config"},
    "escalation": {"escalation", "petitions", "config"},
    "reports": {"reports", "petitions", "config"},
    "devdata": {"devdata", "petitions", "escalation", "reports", "information", "public", "integrations", "config"},
    "public": {"public", "petitions", "reports", "config"},
    # Unit returns read the escalation ladder's rules and add a part to the reports (reports.extensions).
    "information": {"information", "petitions", "escalation", "reports", "config"},
    "integrations": {"integrations", "petitions", "config"},
    "webhooks": {"webhooks", "integrations", "petitions", "config"},
    "supervision": {"supervision", "escalation", "petitions", "reports", "config"},
    "screening": {"screening", "petitions", "reports", "config"},
    "config": {"config", "petitions", "public", "integrations"},
}
# Inside petitions, each layer and what it may import (besides the modules of its own layer).
PETITIONS_LAYERS = {
    "petitions.models": {"petitions.extensions"},
    "petitions.db": {"petitions.models"},
    "petitions.extensions": set(),
    "petitions.identifiers": set(),
    "petitions.caching": set(),  # what is kept in the cache and its renewals (Django's cache only)
    "petitions.clocks": {"petitions.models", "petitions.db", "petitions.extensions", "petitions.caching"},
    "petitions.selectors": {
        "petitions.models",
        "petitions.clocks",
        "petitions.db",
        "petitions.identifiers",
        "petitions.policies",
        "petitions.extensions",
        "petitions.caching",
    },
    "petitions.policies": {"petitions.models", "petitions.selectors.scopes"},
    "petitions.services": {
        "petitions.models",
        "petitions.clocks",
        "petitions.db",
        "petitions.selectors",
        "petitions.policies",
        "petitions.errors",
        "petitions.identifiers",
        "petitions.extensions",
        "petitions.roles",
        "petitions.caching",
    },
}


def layer_of(module: str) -> str | None:
    return next(
        (
            layer
            for layer in sorted(PETITIONS_LAYERS, key=len, reverse=True)
            if module == layer or module.startswith(layer + ".")
        ),
        None,
    )


def test_no_import_circle_even_through_imports_inside_functions():
    assert cycles(import_graph(top_level_only=False)) == []


def test_no_module_imports_across_the_app_arrows():
    wrong = [
        (module, target)
        for module, targets in import_graph(top_level_only=False).items()
        for target in targets
        if target.split(".")[0] not in ALLOWED_APPS[module.split(".")[0]]
    ]
    assert wrong == []


def test_the_layers_of_petitions_import_only_downwards():
    wrong = []
    for module, targets in import_graph(top_level_only=False).items():
        layer = layer_of(module)
        if layer is None:
            continue
        for target in targets:
            if not target.startswith("petitions") or target == "petitions":
                continue
            target_layer = layer_of(target) or target
            allowed = PETITIONS_LAYERS[layer] | {layer}
            if not any(target == name or target.startswith(name + ".") or target_layer == name for name in allowed):
                wrong.append((module, target))
    assert wrong == []


def test_no_two_modules_of_petitions_share_a_name():
    names = Counter(
        path.stem
        for path in (ROOT / "petitions").rglob("*.py")
        if "migrations" not in path.parts and path.stem not in ("__init__",) and "commands" not in path.parts
    )
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize("package", ["petitions", "escalation", "reports"])
def test_no_production_module_imports_dev_data(package):
    graph = import_graph(top_level_only=False)
    assert [
        m for m, targets in graph.items() if m.startswith(package) and any(t.startswith("devdata") for t in targets)
    ] == []


def test_the_walk_sees_the_code():
    assert len(source_modules()) > 80
