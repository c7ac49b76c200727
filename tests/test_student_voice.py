"""Student-facing text speaks to students: no internal file names, no developer talk.

Student-facing means every course notebook and the reading list, the assignments as students
receive them (source notebooks without their solution and hidden-test regions) and the
final-paper templates, the data cards (the files under datasets/ and the cards casekit renders
for every case), and the README. A reading is cited by its number and short name from
notebooks/readings.md ("the office-supplies article (Reading 2)"); "seed" means only a random
seed.
"""

import json
import re

import pytest
from conftest import NOTEBOOKS, ROOT

import casekit
from casekit import _cards

FORBIDDEN = {
    # The source articles' file numbers, which students never see.
    "an article's file number": re.compile(r"\bseeds? 0\d", re.IGNORECASE),
    "'the seeds'": re.compile(r"\bthe seeds\b", re.IGNORECASE),
    "'seed article'": re.compile(r"\bseed('s)? (article|firm|text)s?\b", re.IGNORECASE),
    "a private module path": re.compile(r"\bcasekit[./]_[a-z]"),
    "'tests pin'": re.compile(r"\btests? pins?\b", re.IGNORECASE),
    "'the issue'": re.compile(r"\bthe issue\b", re.IGNORECASE),
    "'the tests'": re.compile(r"\bthe tests\b", re.IGNORECASE),
    "'TODO'": re.compile(r"\bTODO\b"),
}
_REGION = re.compile(
    r"### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1", re.DOTALL
)


def problems(text: str) -> list[str]:
    """Each forbidden phrase in ``text``, with the words around it."""
    found = []
    for what, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            around = text[max(match.start() - 30, 0) : match.end() + 30].replace("\n", " ")
            found.append(f"{what}: ...{around}...")
    return found


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def notebook_text(path, *, student_release=False) -> str:
    """Everything a reader sees in a notebook: cell sources and text outputs."""
    parts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = _text(cell["source"])
        if student_release:
            source = _REGION.sub("", source)
        parts.append(source)
        for output in cell.get("outputs", []):
            parts.append(_text(output.get("text", "")))
            parts += [_text(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


def _rel(path) -> str:
    return str(path.relative_to(ROOT))


ASSIGNMENTS = sorted((ROOT / "assignments" / "source").rglob("*.ipynb"))
TEMPLATES = sorted((ROOT / "assignments" / "final-paper").glob("*"))
CARD_FILES = sorted((ROOT / "datasets").glob("*.md"))
PAGES = [ROOT / "README.md", ROOT / "notebooks" / "readings.md", *TEMPLATES, *CARD_FILES]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_course_notebooks(path):
    assert problems(notebook_text(path)) == []


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=_rel)
def test_assignments_as_students_receive_them(path):
    assert problems(notebook_text(path, student_release=True)) == []


@pytest.mark.parametrize("path", PAGES, ids=_rel)
def test_pages(path):
    assert problems(path.read_text(encoding="utf-8")) == []


CARD_VARIANTS = [
    (name, locale, options)
    for name in casekit.list_cases()
    for locale in sorted(_cards.CURRENCY)
    for options in (
        [{"market": "deregulated"}, {"market": "regulated"}] if name == "utility" else [{}]
    )
]


@pytest.mark.parametrize(
    ("name", "locale", "options"),
    CARD_VARIANTS,
    ids=[f"{n}-{loc}-{o.get('market', 'default')}" for n, loc, o in CARD_VARIANTS],
)
def test_rendered_cards(name, locale, options):
    assert problems(_cards.render(name, locale=locale, options=options)) == []


def _public_docs():
    import inspect

    import casekit.grading
    import casekit.plots
    import casekit.widgets

    for module in (casekit, casekit.widgets, casekit.plots, casekit.grading):
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            docs = [obj.__doc__ or ""]
            if inspect.isclass(obj):
                docs += [m.__doc__ or "" for k, m in vars(obj).items()
                         if not k.startswith("_") and callable(m)]
            yield f"{module.__name__}.{name}", "\n".join(docs)


def test_what_help_shows_for_the_public_api():
    found = {name: problems(doc) for name, doc in _public_docs()}
    assert len(found) > 50
    assert {name: p for name, p in found.items() if p} == {}


def test_what_the_command_prints(capsys):
    from casekit.cli import main

    main(["list"])
    for args in (["--help"], ["generate", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
    assert problems(capsys.readouterr().out) == []


def test_every_kind_of_file_is_covered():
    assert ASSIGNMENTS and TEMPLATES and CARD_FILES and len(NOTEBOOKS) >= 12


@pytest.mark.parametrize(
    "text",
    [
        "As seed 001 says, churn rose.",
        "Seeds 002 and 004 describe an insurer.",
        "What the seeds say.",
        "the seed's firm",
        "Every constant is in `casekit/_specs.py`.",
        "import casekit._rfm",
        "tests pin them",
        "the issue assumes",
        "TODO: write this",
    ],
)
def test_the_phrases_are_caught(text):
    assert problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "the office-supplies article (Reading 2)",
        "casekit.generate_case('utility', n_customers=500, seed=7)",
        "Default dataset: 4000 customers, seed 4, locale en_US.",
        "a t-test compares two means",
    ],
)
def test_ordinary_text_passes(text):
    assert problems(text) == []


def test_solution_regions_are_not_student_text(tmp_path):
    path = tmp_path / "a.ipynb"
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": "x = 1\n### BEGIN SOLUTION\n# the seeds say so\n### END SOLUTION\n"}
    path.write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    assert notebook_text(path, student_release=True).strip() == "x = 1"
    assert problems(notebook_text(path))
