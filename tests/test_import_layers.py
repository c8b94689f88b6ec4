"""The shared layer imports nothing above it: the phone, scenario-schema and expectation modules
lie on no import cycle, and each one imports alone in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.import_graph import ROOT, graph, reaches

#: The modules of the former circle cleaning → scenario_schema → checker → expectations → cleaning.
FORMER_CIRCLE = (
    "crm.phones",
    "crm.clients.cleaning",
    "crm.training.scenario_schema",
    "crm.training.scenario_schema.checker",
    "crm.training.expectations",
)


@pytest.mark.parametrize("module", FORMER_CIRCLE)
def test_no_import_cycle_goes_through(module):
    assert reaches(graph(), module, module) is None


#: What each module of the shared layer may import of the project: nothing above it.
SHARED_LAYER = {
    "crm.clock": set(),
    "crm.channels": {"crm.i18n"},
    "crm.phones": {"crm.db", "crm.clients.models"},
    "crm.yaml_text": set(),
}


@pytest.mark.parametrize(("module", "allowed"), SHARED_LAYER.items())
def test_the_shared_layer_imports_nothing_above_it(module, allowed):
    assert graph()[module] <= allowed


@pytest.mark.parametrize("module", FORMER_CIRCLE)
def test_each_module_imports_alone_in_a_fresh_interpreter(module):
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
