"""The integrity check and the class-wide similarity report, read from the files alone.

Nothing here executes a submission. Cell roles come from the source notebook,
matched by cell id: a deleted tag, a re-typed cell or an added cell does not
change what a cell is. The rules are conservative: a flag is a reason for the
instructor to look, not a verdict.
"""

from __future__ import annotations

import ast
import io
import itertools
import json
import keyword
import re
import tokenize
from pathlib import Path

import pandas as pd

#: casekit functions a student must not call where a question says "compute it yourself".
ANALYTICS_NAMES = frozenset({
    "abc_activity", "abc_pareto", "rfm_scores", "rfm_segments", "customer_pyramid",
    "pyramid_migration", "customer_profitability", "customer_summary", "lifecycle_stages",
    "clv_formula", "cohort_clv", "customer_equity", "BetaGeo", "GammaGamma", "ParetoNBD",
    "ShiftedBetaGeometric", "BetaGeoBetaBinom", "kaplan_meier", "segment_shares",
    "renewal_signals", "rate_by_band", "next_best_offer", "evaluate_offers",
    "probability_alive",
})
#: The cell tag that marks an answer the student must compute without casekit's analytics.
OWN_WORK_TAG = "implement-yourself"

_DYNAMIC = {"getattr", "vars", "globals", "locals", "eval", "exec", "compile", "__import__",
            "dir"}
_KERNEL = {"input_transformers_cleanup", "input_transformers_post", "ast_transformers",
           "events", "register_magic_function", "run_cell", "user_ns", "user_global_ns",
           "showtraceback", "set_custom_exc"}
_SYS = {"modules", "settrace", "setprofile", "meta_path", "path_hooks", "excepthook",
        "displayhook", "stdout", "stderr", "audit", "addaudithook"}
_SYSTEM_MODULES = {"os", "subprocess", "shutil", "ctypes", "importlib", "inspect", "gc",
                   "sqlite3", "socket", "pathlib", "builtins", "io", "pickle", "runpy",
                   "nbgrader", "IPython", "traitlets", "types", "multiprocessing", "signal"}
REPORT_COLUMNS = ["notebook", "student", "cell", "kind", "detail"]
SIMILARITY_COLUMNS = ["notebook", "student_a", "student_b", "similarity", "shared", "look"]


def _cells(path: Path, func: str) -> list:
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError):
        raise ValueError(f"{func}: {path} is not a notebook") from None
    return cells


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def student_of(path) -> str:
    """The student folder nbgrader files a notebook under, or ''."""
    parts = Path(path).parts
    for folder in ("submitted", "autograded", "feedback"):
        if folder in parts[:-2]:
            return parts[parts.index(folder) + 1]
    return ""


def _parse(source: str):
    """The cell as an AST (IPython magics translated first), and whether it used any."""
    try:
        return ast.parse(source), False
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        python = TransformerManager().transform_cell(source)
        return ast.parse(python), True
    except (SyntaxError, ImportError, ValueError):
        return None, True


class _Aliases:
    """Names that stand for casekit or something taken from it, over a whole notebook."""

    def __init__(self):
        self.names = {"casekit"}

    def is_ref(self, node) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.names
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            return self.is_ref(node.value)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in {"getattr", "vars"} and node.args and self.is_ref(node.args[0]):
                return True
            if name in {"import_module", "__import__"} and node.args:
                first = node.args[0]
                return isinstance(first, ast.Constant) and str(first.value).startswith("casekit")
        if isinstance(node, ast.Lambda):
            return self.mentions(node.body)
        if isinstance(node, (ast.Tuple, ast.List)):
            return any(self.is_ref(e) for e in node.elts)
        return False

    def mentions(self, tree) -> bool:
        return any(isinstance(n, ast.Name) and n.id in self.names for n in ast.walk(tree))

    def learn(self, tree) -> bool:
        before = len(self.names)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "casekit":
                        self.names.add(alias.asname or "casekit")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("casekit"):
                self.names |= {a.asname or a.name for a in node.names}
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None and self.is_ref(node.value):
                    for target in targets:
                        self.names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if any(self.mentions(statement) for statement in node.body):
                    self.names.add(node.name)
        return len(self.names) > before


def _module_aliases(trees) -> set[str]:
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.asname or a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names |= {a.asname or a.name for a in node.names}
    return names


def casekit_use(tree, aliases: _Aliases) -> list[str]:
    """What a cell that must not use casekit's analytics uses of casekit, or dynamic lookups."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ANALYTICS_NAMES:
            found.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in ANALYTICS_NAMES:
            found.add(node.id)
        elif isinstance(node, ast.Name) and node.id in aliases.names:
            found.add(f"casekit via {node.id}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""]
            if any(m.split(".")[0] == "casekit" for m in modules):
                found.add("imports casekit")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in _DYNAMIC:
            found.add(f"dynamic lookup {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr in {"__dict__", "__getattribute__",
                                                               "import_module"}:
            found.add(f"dynamic lookup .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and any(name in node.value for name in ANALYTICS_NAMES):
            found.add(f"the name {node.value!r} as text")
    return sorted(found)


def tampering(tree, aliases: _Aliases, modules: set[str]) -> list[str]:
    """Code that reaches into the kernel, the interpreter, casekit's or a module's insides."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "get_ipython":
            found.add("get_ipython (the kernel itself)")
        elif isinstance(node, ast.Attribute) and node.attr in _KERNEL:
            found.add(f"kernel hook .{node.attr}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "sys" and node.attr in _SYS:
            found.add(f"sys.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in {"builtins", "__builtins__"}:
            found.add("builtins")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""]
            for name in names:
                if name.split(".")[0] in _SYSTEM_MODULES:
                    found.add(f"imports {name} (system access)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in {"open", "setattr", "delattr", "exec", "eval", "compile",
                                     "__import__"}:
            found.add(f"{node.func.id}()")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for base in _target_bases(targets):
                if base.id in aliases.names or base.id in modules:
                    found.add(f"assigns to an attribute of {base.id}")
        if isinstance(node, ast.Name) and node.id.startswith("_grader"):
            found.add(f"grader name {node.id}")
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.startswith("_grader"):
            found.add(f"grader name {node.name}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_grader"):
            found.add(f"grader name .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and "_grader" in node.value:
            found.add("grader name as text")
    return sorted(found)


def _target_bases(targets):
    """The module-like names whose attributes or items an assignment changes."""
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from _target_bases(target.elts)
        elif isinstance(target, ast.Starred):
            yield from _target_bases([target.value])
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            base = target.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                yield base


def _loads(tree) -> set[str]:
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _results(trees) -> set[str]:
    """Names bound to what casekit's analytics returned, and names computed from those."""
    names: set[str] = set()
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign,
                                         ast.NamedExpr)) or node.value is None:
                    continue
                words = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
                words |= {n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)}
                if not (words & ANALYTICS_NAMES or words & names):
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                new = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
                if new - names:
                    names |= new
                    changed = True
    return names


def _is_id_cell(source: str) -> bool:
    return source.lstrip().startswith("STUDENT_ID")


def _id_cell_is_plain(source: str) -> bool:
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return (len(body) == 1 and isinstance(body[0], ast.Assign) and len(body[0].targets) == 1
            and isinstance(body[0].targets[0], ast.Name) and body[0].targets[0].id == "STUDENT_ID"
            and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str))


def _notebooks(path: Path, func: str) -> list[Path]:
    if not path.exists():
        raise ValueError(f"{func}: path '{path}' does not exist")
    found = [path] if path.is_file() else sorted(path.rglob("*.ipynb"))
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]


def _sources(source, func: str) -> dict[str, list]:
    source = Path(source)
    found = _notebooks(source, func)
    if not found:
        raise ValueError(f"{func}: source '{source}' holds no notebook")
    return {p.name: _cells(p, func) for p in found}


def _student_cells(cells, source_cells):
    """(label, role, text, source text) of each code cell the student wrote or changed."""
    by_id = {c.get("id"): c for c in source_cells if c.get("id")}
    for number, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        text = _text(cell)
        original = by_id.get(cell.get("id"))
        if original is None or original.get("cell_type") != "code":
            yield f"added cell {number}", "added", text, ""
            continue
        meta = _meta(original)
        label = meta.get("grade_id") or f"cell {number}"
        if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
            if text.strip() != _text(original).strip():
                yield label, "changed-locked", text, _text(original)
            continue
        own = OWN_WORK_TAG in original.get("metadata", {}).get("tags", [])
        role = "id" if _is_id_cell(_text(original)) else ("own-work" if own else "answer")
        yield label, role, text, _text(original)


def integrity_report(path, source) -> pd.DataFrame:
    """Flag casekit use in "compute it yourself" answers, and tampering, in submissions.

    Parameters
    ----------
    path : str or Path
        A notebook, or a folder searched recursively (e.g. nbgrader's ``submitted/``).
    source : str or Path
        The source notebook, or a folder of them (``assignments/source``). A
        submission is matched with the source notebook of the same file name,
        and each of its cells with the source cell of the same cell id: the
        roles and tags are the source's, never the submission's.

    Returns
    -------
    DataFrame
        One row per finding: ``notebook``, ``student`` (nbgrader's folder), ``cell``,
        ``kind`` (``casekit use``, ``tampering``, ``changed locked cell``,
        ``missing answer cell``) and ``detail``.

    Examples
    --------
    >>> integrity_report("no/such/folder", "assignments/source")
    Traceback (most recent call last):
    ...
    ValueError: integrity_report: path 'no/such/folder' does not exist
    """
    func = "integrity_report"
    notebooks = _notebooks(Path(path), func)
    sources = _sources(source, func)
    rows = []
    for notebook in notebooks:
        if notebook.name not in sources:
            raise ValueError(f"{func}: no source notebook named {notebook.name!r}; sources are "
                             f"{sorted(sources)}")
        source_cells = sources[notebook.name]
        cells = _cells(notebook, func)
        student = student_of(notebook)

        def add(cell, kind, detail, notebook=notebook, student=student):
            rows.append({"notebook": str(notebook), "student": student, "cell": cell,
                         "kind": kind, "detail": detail})

        parsed = []
        for label, role, text, original in _student_cells(cells, source_cells):
            tree, magic = _parse(text)
            parsed.append((label, role, text, tree, magic, _parse(original)[0]))
        aliases = _Aliases()
        trees = [p[3] for p in parsed if p[3] is not None]
        setup = [t for c in source_cells if c.get("cell_type") == "code"
                 for t in [_parse(_text(c))[0]] if t is not None]
        while any(aliases.learn(t) for t in trees + setup):
            pass
        modules = _module_aliases(trees + setup)
        results = _results([p[3] for p in parsed if p[3] is not None and p[1] != "own-work"])
        for label, role, text, tree, magic, original in parsed:
            if role == "changed-locked":
                add(label, "changed locked cell", "differs from the source")
            if role == "id" and not _id_cell_is_plain(text):
                add(label, "tampering", "the student-id cell holds more than the id")
            if tree is None:
                words = sorted(name for name in ANALYTICS_NAMES if name in text)
                detail = "not Python" + (f"; mentions {', '.join(words)}" if words else "")
                add(label, "casekit use" if words else "tampering", detail)
                continue
            if magic:
                add(label, "tampering", "IPython magic or shell command")
            if role in {"own-work", "added", "changed-locked"}:
                used = casekit_use(tree, aliases)
                if role == "own-work":
                    # Results of casekit's analytics made in another cell; what the model
                    # solution itself reads from earlier answers is allowed.
                    borrowed = (_loads(tree) & results) - _loads(original)
                    used += [f"uses {name}, made with casekit's analytics in another cell"
                             for name in sorted(borrowed)]
                if used:
                    add(label, "casekit use", ", ".join(used))
            elif role == "answer":
                allowed = set(casekit_use(original, aliases)) if original is not None else set()
                extra = [item for item in casekit_use(tree, aliases)
                         if item not in allowed and not item.startswith("casekit via")]
                if extra:
                    add(label, "casekit use", ", ".join(extra) + " (not needed by this question)")
            hacks = tampering(tree, aliases, modules)
            if hacks:
                add(label, "tampering", ", ".join(hacks))
        present = {c.get("id") for c in cells}
        for cell in source_cells:
            meta = _meta(cell)
            if meta.get("solution") and cell.get("cell_type") == "code" \
                    and cell.get("id") not in present:
                add(meta.get("grade_id", cell.get("id")), "missing answer cell",
                    "the answer cell is not in the notebook (deleted, or its cell id changed)")
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _shingles(text: str, size: int = 6) -> set[tuple]:
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                              tokenize.DEDENT, tokenize.ENDMARKER}:
                continue
            tokens.append("S" if token.type == tokenize.STRING and not keyword.iskeyword(
                token.string) and len(token.string) > 12 else token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        tokens = text.split()
    return {tuple(tokens[i:i + size]) for i in range(max(len(tokens) - size + 1, 0))}


_REGION = re.compile(r"[ \t]*### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1[^\n]*\n?", re.S)
_STUB = "# YOUR CODE HERE\nraise NotImplementedError()\n"


def _public(text: str) -> str:
    """A source cell as released: solution regions replaced by the stub."""
    return _REGION.sub(_STUB, text)


def similarity_report(path, source, threshold: float = 0.6) -> pd.DataFrame:
    """Pairs of submissions ranked by the share of their own code they have in common.

    A submission's own code is every answer or added code cell (not the id cell),
    cut into runs of six tokens; runs that occur in the released notebook (stubs,
    set-up, questions' checks) are left out. The similarity of two submissions is the Jaccard index
    of their runs: 1 for identical code, near 0 for independent work.

    Parameters
    ----------
    path : folder of submissions (nbgrader's ``submitted/``)
    source : source notebook or folder, as for :func:`integrity_report`
    threshold : pairs at or above it get ``look = True``

    Returns
    -------
    DataFrame
        ``notebook``, ``student_a``, ``student_b``, ``similarity`` (0-1) and
        ``shared`` (the number of common runs) and ``look``, most similar first.
    """
    func = "similarity_report"
    if not 0 < threshold <= 1:
        raise ValueError(f"{func}: threshold must lie in (0, 1]; found {threshold!r}")
    sources = _sources(source, func)
    prints: dict[str, dict[str, set]] = {}
    for notebook in _notebooks(Path(path), func):
        if notebook.name not in sources:
            raise ValueError(f"{func}: no source notebook named {notebook.name!r}")
        common = set().union(*(_shingles(_public(_text(c))) for c in sources[notebook.name]
                               if c.get("cell_type") == "code"))
        own = set()
        for _, role, text, _ in _student_cells(_cells(notebook, func), sources[notebook.name]):
            if role != "id":
                own |= _shingles(text)
        student = student_of(notebook) or str(notebook.parent)
        prints.setdefault(notebook.name, {})[student] = own - common
    rows = []
    for name, by_student in prints.items():
        for a, b in itertools.combinations(sorted(by_student), 2):
            union = by_student[a] | by_student[b]
            shared = len(by_student[a] & by_student[b])
            similarity = round(shared / len(union), 4) if union else 0.0
            rows.append({"notebook": name, "student_a": a, "student_b": b,
                         "similarity": similarity, "shared": shared,
                         "look": similarity >= threshold})
    table = pd.DataFrame(rows, columns=SIMILARITY_COLUMNS)
    return table.sort_values(["similarity", "shared"], ascending=False, ignore_index=True)
