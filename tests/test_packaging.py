"""pyproject.toml and environment.yml describe the same environment."""

import importlib.util
import tomllib

import yaml
from conftest import ROOT
from packaging.requirements import Requirement


def _key(requirement: str) -> tuple[str, str]:
    parsed = Requirement(requirement)
    name = parsed.name.lower().replace("_", "-")
    return name, str(parsed.specifier)


def pyproject_requirements() -> set[tuple[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = {_key(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        found |= {_key(r) for r in extra if not r.startswith("casekit")}
    return found


def conda_requirements() -> set[tuple[str, str]]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    specs = [d for d in environment["dependencies"] if isinstance(d, str)]
    return {_key(s) for s in specs if not s.startswith(("python=", "pip"))}


def test_environment_yml_matches_pyproject():
    pyproject, conda = pyproject_requirements(), conda_requirements()
    assert pyproject - conda == set(), "in pyproject.toml but not environment.yml"
    assert conda - pyproject == set(), "in environment.yml but not pyproject.toml"


def test_pandas_is_bounded_below_3():
    specs = dict(pyproject_requirements())
    assert Requirement(f"pandas{specs['pandas']}").specifier.contains("2.3.3")
    assert not Requirement(f"pandas{specs['pandas']}").specifier.contains("3.0.0")


def test_environment_installs_casekit_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def test_set_up_drops_the_slow_optional_iri_checker():
    # jsonschema imports rfc3987-syntax if it is there, and that builds a parser on import:
    # seconds of CPU in every process that reads a notebook. The set-up removes it.
    makefile = (ROOT / "Makefile").read_text()
    assert "DROP := rfc3987-syntax" in makefile
    assert makefile.count("pip uninstall --quiet -y $(DROP)") == 2
    assert importlib.util.find_spec("rfc3987_syntax") is None
