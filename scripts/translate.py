"""The Chinese edition from one source: gettext catalogs of the English notebooks.

Usage: python scripts/translate.py extract NOTEBOOK ...   (write or update the catalogs)
       python scripts/translate.py build [--no-run] [NOTEBOOK ...]   (make notebooks-zh)
       python scripts/translate.py check [NOTEBOOK ...]   (list missing, stale, obsolete)

The English notebook ``notebooks/<path>`` stays the source.  Its catalog
``i18n/zh/<path without suffix>.po`` holds one entry per markdown cell:
``msgctxt`` is the cell id, ``msgid`` the English text, ``msgstr`` the Chinese.
``extract`` keeps a translation whose English text is unchanged, marks it fuzzy
(keeping the old English as the previous msgid) when the English changed, adds
new cells with an empty translation and drops the entries of deleted cells, as
msgmerge does.  ``build`` writes ``notebooks-zh/<path>`` and executes it.
A markdown document (``notebooks/readings.md``) is handled the same way, one
entry per paragraph, keyed by its section's heading and its place in it.

The graded assignments are translated the same way, with catalogs under
``i18n/zh/assignments/``:

* a source notebook ``assignments/source/<name>/<name>.ipynb`` (catalog
  ``i18n/zh/assignments/source/<name>/<name>.po``) is built into the Chinese
  course folder ``assignments-zh/source/<name>/<name>.ipynb``: the same
  assignment name, file name, cell ids and nbgrader metadata, so that
  nbgrader and ``python -m casekit.grading`` treat ``assignments-zh/`` as a
  course of its own and grade it with the same checks (``assignments-zh/checks``
  links to ``assignments/checks``).  Its edition cell is a locked nbgrader cell.
  It is not executed here (the placeholder student id stops it); nbgrader runs
  it when it autogrades a submission.  ``build`` also writes the course's
  ``nbgrader_config.py``: the English one with its own course id;
* a document ``assignments/<path>.md`` (catalog ``i18n/zh/assignments/<path>.po``)
  is built next to the English one, as ``assignments/<path>.zh.md``.

Code cells are copied unchanged, with two declared exceptions:

* the edition cell :data:`EDITION_SOURCE`, inserted before the first code cell,
  sets ``casekit.set_language("zh")``: Chinese labels and plot text, a CJK font,
  and the ``zh_CN`` data in ``load_case``;
* a catalog entry with ``msgctxt`` ``"<cell id>:code"`` replaces the exact text
  ``msgid`` by ``msgstr`` in that code cell.  It may only change what is inside
  string literals and comments: tests/test_translations.py compares the cells'
  Python tokens and fails on any other difference.
"""

from __future__ import annotations

import copy
import io
import os
import string
import sys
import tempfile
import tokenize
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks"
ASSIGNMENTS = ROOT / "assignments"
#: The Chinese edition of the assignments: a course folder of its own for nbgrader.
COURSE_ZH = ROOT / "assignments-zh"
COURSE_ID_SUFFIX = "-zh"
LANGUAGE = "zh"
CATALOGS = ROOT / "i18n" / LANGUAGE
TARGET = ROOT / "notebooks-zh"
CODE_SUFFIX = ":code"
EDITION_ID = "zh-edition"
EDITION_SOURCE = (
    "import casekit\n"
    "\n"
    "# 中文版：casekit 的标签和图表使用中文，load_case 默认打开 zh_CN 数据（金额以人民币计）\n"
    'casekit.set_language("zh")'
)
#: An assignment's edition cell: its data come from ``student_case``, not ``load_case``.
ASSIGNMENT_EDITION_SOURCE = (
    "import casekit\n"
    "\n"
    "# 中文版：casekit 的标签和图表使用中文；student_case 生成 zh_CN 数据：数字与英文版完全相同，\n"
    "# 只有姓名、公司、地址和菜名等文字是中文（金额以人民币计）\n"
    'casekit.set_language("zh")'
)
#: The edition cell of an assignment is locked: nbgrader restores it, the integrity check
#: flags a change to it.
EDITION_NBGRADER = {"grade": False, "grade_id": "zh_edition", "locked": True,
                    "schema_version": 3, "solution": False}
WRAP = 0  # one msgid line per source line: diffs of a catalog stay readable


def relative(notebook) -> Path:
    """The path of a source below ``notebooks/``, or ``assignments/...`` for an assignment."""
    path = Path(notebook).resolve()
    if path.is_relative_to(ASSIGNMENTS):
        return path.relative_to(ROOT)
    if not path.is_relative_to(SOURCE):
        raise SystemExit(f"translate: {notebook} is not under {SOURCE} or {ASSIGNMENTS}")
    rel = path.relative_to(SOURCE)
    if rel.parts[0] == ASSIGNMENTS.name:
        raise SystemExit(f"translate: {notebook}: a notebook folder named 'assignments' would "
                         f"share the catalogs of the graded assignments")
    return rel


def is_assignment(rel: Path) -> bool:
    return rel.parts[0] == ASSIGNMENTS.name


def source_name(rel: Path) -> str:
    """The English source as the repository names it (``notebooks/...`` or ``assignments/...``)."""
    return rel.as_posix() if is_assignment(rel) else f"{SOURCE.name}/{rel.as_posix()}"


def source_path(rel: Path) -> Path:
    return ROOT / source_name(rel)


def catalog_path(rel: Path) -> Path:
    return CATALOGS / rel.with_suffix(".po")


def target_path(rel: Path) -> Path:
    if not is_assignment(rel):
        return TARGET / rel
    if rel.suffix == ".md":
        return ROOT / rel.with_suffix(".zh.md")
    return COURSE_ZH / rel.relative_to(ASSIGNMENTS.name)


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def new_catalog(rel: Path) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = (f"Simplified Chinese edition of {source_name(rel)}.\n"
                 "msgctxt is the cell id; entries with ':code' replace text inside the "
                 "code cell's strings and comments.")
    po.metadata = {
        "Project-Id-Version": "casekit course",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def update_catalog(notebook: nbformat.NotebookNode, po: polib.POFile) -> dict:
    """Bring ``po`` in line with ``notebook``, msgmerge-style; return what changed."""
    cells = {cell.id: cell for cell in notebook.cells}
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    old = {entry.msgctxt: entry for entry in po if not entry.msgctxt.endswith(CODE_SUFFIX)}
    counts = {"added": 0, "fuzzy": 0, "dropped": 0}
    entries = []
    for cell in markdown:
        text = _source(cell)
        entry = old.get(cell.id)
        if entry is None:
            entry = polib.POEntry(msgctxt=cell.id, msgid=text, msgstr="")
            counts["added"] += 1
        elif entry.msgid != text:
            if entry.msgstr:
                entry.previous_msgid = entry.msgid
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                counts["fuzzy"] += 1
            entry.msgid = text
        entries.append(entry)
    for entry in po:
        if not entry.msgctxt.endswith(CODE_SUFFIX):
            continue
        cell = cells.get(entry.msgctxt[: -len(CODE_SUFFIX)])
        if cell is None or cell.cell_type != "code":
            counts["dropped"] += 1
            continue
        if entry.msgid not in _source(cell) and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
            counts["fuzzy"] += 1
        entries.append(entry)
    counts["dropped"] += len(set(old) - {cell.id for cell in markdown})
    po[:] = entries
    return counts


def catalog_problems(notebook: nbformat.NotebookNode, po: polib.POFile) -> list[str]:
    """Every missing, stale (fuzzy or changed) and obsolete entry, as sentences."""
    problems = []
    cells = {cell.id: cell for cell in notebook.cells}
    entries = {}
    for entry in po:
        where = f"entry {entry.msgctxt!r}"
        if entry.obsolete:
            problems.append(f"{where} is obsolete (#~)")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is fuzzy: the English changed, review the translation")
        if not entry.msgstr:
            problems.append(f"{where} has no translation")
        if entry.msgctxt.endswith(CODE_SUFFIX):
            cell = cells.get(entry.msgctxt[: -len(CODE_SUFFIX)])
            if cell is None or cell.cell_type != "code":
                problems.append(f"{where} names no code cell of the notebook (obsolete)")
            elif entry.msgid not in _source(cell):
                problems.append(f"{where}: its English text is no longer in the code (stale)")
            continue
        entries[entry.msgctxt] = entry
        cell = cells.get(entry.msgctxt)
        if cell is None or cell.cell_type != "markdown":
            problems.append(f"{where} names no markdown cell of the notebook (obsolete)")
        elif entry.msgid != _source(cell):
            problems.append(f"{where}: the English cell changed since extraction (stale)")
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.id not in entries:
            problems.append(f"markdown cell {cell.id!r} has no entry (missing)")
    return problems


_FREE_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1)}


def _fields(body: str) -> list | str:
    """The replacement fields of an f-string's body; the body itself if it does not parse."""
    try:
        return [(name, spec, conversion)
                for _, name, spec, conversion in string.Formatter().parse(body)
                if name is not None]
    except ValueError:
        return body


def code_skeleton(source: str) -> list[tuple[int, str]]:
    """The cell's Python tokens with the text of strings and comments blanked out.

    Two cells with the same skeleton run the same code; they differ at most in
    what their strings say and in their comments.  A cell that does not
    tokenize (an IPython magic) is its own skeleton, so it must match exactly.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [(-1, source)]
    out = []
    for token in tokens:
        if token.type in _FREE_TOKENS:
            text = token.string
            if token.type == tokenize.STRING:  # keep the prefix and quotes: f"..." stays f"..."
                body = text.lstrip("rRbBuUfF")
                quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
                prefix = text[: len(text) - len(body)]
                text = prefix + quote
                if "f" in prefix.lower():  # before Python 3.12 an f-string is one token
                    text += repr(_fields(body[len(quote): len(body) - len(quote)]))
            elif token.type == tokenize.COMMENT:
                text = "#"
            else:
                text = ""
            out.append((token.type, text))
        elif token.type not in (tokenize.NL, tokenize.NEWLINE):
            out.append((token.type, token.string))
    return out


def edition(notebook: nbformat.NotebookNode, po: polib.POFile,
            rel: Path) -> nbformat.NotebookNode:
    """The Chinese notebook: translated markdown, the edition cell, declared code changes."""
    problems = catalog_problems(notebook, po)
    if problems:
        raise SystemExit("translate: the catalog is not complete:\n  " + "\n  ".join(problems))
    text = {e.msgctxt: e.msgstr for e in po if not e.msgctxt.endswith(CODE_SUFFIX)}
    code = {}
    for entry in po:
        if entry.msgctxt.endswith(CODE_SUFFIX):
            code.setdefault(entry.msgctxt[: -len(CODE_SUFFIX)], []).append(entry)
    out = copy.deepcopy(notebook)
    out.metadata.pop("widgets", None)
    cells = []
    for cell in out.cells:
        if cell.cell_type == "code" and not any(c.cell_type == "code" for c in cells):
            setting = nbformat.v4.new_code_cell(EDITION_SOURCE)
            setting.id = EDITION_ID
            if is_assignment(rel):
                setting.source = ASSIGNMENT_EDITION_SOURCE
                setting.metadata["nbgrader"] = dict(EDITION_NBGRADER)
            cells.append(setting)
        if cell.cell_type == "markdown":
            cell.source = text[cell.id]
        elif cell.cell_type == "code":
            source = _source(cell)
            for entry in code.get(cell.id, []):
                source = source.replace(entry.msgid, entry.msgstr)
            if code_skeleton(source) != code_skeleton(_source(cell)):
                raise SystemExit(f"translate: the code entries of cell {cell.id!r} change more "
                                 "than the text of its strings and comments")
            cell.source = source
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    out.metadata["casekit"] = {"edition": LANGUAGE, "source": source_name(rel)}
    return out


SLUG_LENGTH = 50  # nbformat allows cell ids of at most 64 characters


def _slug(heading: str) -> str:
    """The heading's first line, lower-case words joined by hyphens, cut at a word."""
    first = heading.split("\n", 1)[0]
    words = "".join(ch if ch.isalnum() else " " for ch in first.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + bool(slug) > SLUG_LENGTH:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or (words[0][:SLUG_LENGTH] if words else "top")


def document_cells(text: str) -> nbformat.NotebookNode:
    """A markdown document as a notebook of one markdown cell per paragraph.

    A cell's id is the slug of the heading above it and the paragraph's number
    under that heading, so an edit in one section leaves the keys of the others alone.
    """
    cells, section, number = [], "top", 0
    for block in (b.strip("\n") for b in text.split("\n\n")):
        if not block.strip():
            continue
        if block.startswith("#"):
            section, number = _slug(block.lstrip("#")), 0
        cell = nbformat.v4.new_markdown_cell(block)
        cell.id = f"{section}_{number}"
        number += 1
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def read_source(path: Path) -> nbformat.NotebookNode:
    """An English notebook, or a markdown document as :func:`document_cells`."""
    if path.suffix == ".md":
        return document_cells(path.read_text(encoding="utf-8"))
    return nbformat.read(path, as_version=4)


def document_edition(document: nbformat.NotebookNode, po: polib.POFile) -> str:
    """The translated markdown document."""
    problems = catalog_problems(document, po)
    if problems:
        raise SystemExit("translate: the catalog is not complete:\n  " + "\n  ".join(problems))
    text = {e.msgctxt: e.msgstr for e in po}
    return "\n\n".join(text[cell.id] for cell in document.cells) + "\n"


def read_catalog(rel: Path) -> polib.POFile:
    path = catalog_path(rel)
    if not path.is_file():
        raise SystemExit(f"translate: no catalog {path.relative_to(ROOT)}; run extract first")
    return polib.pofile(str(path), wrapwidth=WRAP)


def extract(notebooks) -> None:
    for notebook_path in notebooks:
        rel = relative(notebook_path)
        notebook = read_source(Path(notebook_path))
        path = catalog_path(rel)
        po = polib.pofile(str(path), wrapwidth=WRAP) if path.is_file() else new_catalog(rel)
        counts = update_catalog(notebook, po)
        _atomic_write(path, str(po))
        print(f"{path.relative_to(ROOT)}: {len(po)} entries, {po.percent_translated()}% "
              f"translated; added {counts['added']}, fuzzy {counts['fuzzy']}, "
              f"dropped {counts['dropped']}")


def course_config() -> str:
    """The Chinese course's ``nbgrader_config.py``: the English one with its own course id."""
    english = (ASSIGNMENTS / "nbgrader_config.py").read_text(encoding="utf-8")
    line = next((x for x in english.splitlines() if x.startswith("c.CourseDirectory.course_id")),
                None)
    if line is None:
        raise SystemExit("translate: assignments/nbgrader_config.py sets no "
                         "c.CourseDirectory.course_id")
    course_id = line.split("=", 1)[1].strip().strip("\"'")
    return ('"""nbgrader settings of the Chinese edition (made by scripts/translate.py from '
            '../assignments/nbgrader_config.py; edit that one)."""\n\n'
            + english.split("\n", 1)[1].lstrip("\n").replace(
                line, f'c.CourseDirectory.course_id = "{course_id}{COURSE_ID_SUFFIX}"'))


def write_course() -> None:
    """The parts of ``assignments-zh/`` that are not notebooks: the config and the checks link."""
    _atomic_write(COURSE_ZH / "nbgrader_config.py", course_config())
    checks = COURSE_ZH / "checks"
    if not checks.is_symlink():
        if checks.exists():
            raise SystemExit(f"translate: {checks} must be the link to ../assignments/checks")
        checks.symlink_to(Path("..") / ASSIGNMENTS.name / "checks", target_is_directory=True)


def translated_notebooks() -> list[Path]:
    """The English notebooks and markdown documents that have a catalog."""
    found = []
    for po in CATALOGS.rglob("*.po"):
        for suffix in (".ipynb", ".md"):
            source = SOURCE / po.relative_to(CATALOGS).with_suffix(suffix)
            if source.is_file():
                found.append(source)
    return sorted(found)


def translated_assignments() -> list[Path]:
    """The assignment source notebooks and documents under ``assignments/`` that have a catalog."""
    found = []
    for po in (CATALOGS / ASSIGNMENTS.name).rglob("*.po"):
        rel = po.relative_to(CATALOGS)
        for suffix in (".ipynb", ".md"):
            if source_path(rel.with_suffix(suffix)).is_file():
                found.append(source_path(rel.with_suffix(suffix)))
    return sorted(found)


def build(notebooks, run=True) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import run_notebooks

    for notebook_path in notebooks:
        rel = relative(notebook_path)
        target = target_path(rel)
        if rel.suffix == ".md":
            text = document_edition(read_source(Path(notebook_path)), read_catalog(rel))
            _atomic_write(target, text)
            print(f"wrote {target.relative_to(ROOT)}", flush=True)
            continue
        notebook = nbformat.read(notebook_path, as_version=4)
        out = edition(notebook, read_catalog(rel), rel)
        if is_assignment(rel):
            write_course()
        _atomic_write(target, nbformat.writes(out))
        print(f"wrote {target.relative_to(ROOT)}", flush=True)
        if run and not is_assignment(rel):
            print(f"running {target.relative_to(ROOT)}", flush=True)
            run_notebooks.run(target)


def check(notebooks) -> int:
    failed = 0
    for notebook_path in notebooks:
        rel = relative(notebook_path)
        problems = catalog_problems(read_source(Path(notebook_path)), read_catalog(rel))
        for problem in problems:
            print(f"{catalog_path(rel).relative_to(ROOT)}: {problem}")
        failed += bool(problems)
    return failed


def main(argv) -> int:
    if not argv or argv[0] not in ("extract", "build", "check"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    run = "--no-run" not in rest
    paths = [Path(p) for p in rest if p != "--no-run"]
    if command == "extract":
        if not paths:
            raise SystemExit("translate extract: name the English notebooks to extract")
        extract(paths)
        return 0
    paths = paths or translated_notebooks() + translated_assignments()
    if command == "build":
        build(paths, run=run)
        return 0
    return 1 if check(paths) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
