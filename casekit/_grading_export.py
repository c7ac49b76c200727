"""Answers as plain data: what a notebook hands to the grader, and how the grader reads it.

The last, locked cell of every assignment calls :func:`export_answers`. It turns
the answer variables into JSON (numbers, strings, lists, small tables) and shows
them as one output of the cell under :data:`ANSWERS_MIME`. The grader reads that
output from the executed notebook file and decodes it with :func:`decode`: it
never imports or runs anything from the student's notebook.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

#: The output type under which the export cell stores the answers.
ANSWERS_MIME = "text/x-casekit-answers"
#: Larger exports are refused: no answer of the four assignments comes near it.
MAX_EXPORT_CHARS = 20_000_000

#: Each assignment's answer variables. "shape" exports only a table's columns and row count.
ANSWERS = {
    "a1-case-report": {"abc_class": "value", "share_ab": "value", "rfm": "value",
                       "champions_share": "value", "top5_share": "value"},
    "a2-insurance-defence": {"alive": "value", "sbg_s9": "value", "naive_s9": "value",
                             "actual_s9": "value", "branches": "value", "speed_bands": "value",
                             "by_channel": "value"},
    "a3-catering-defence": {"dishes": "shape", "favourite": "value",
                            "top20_margin_share": "value", "offer_scores": "value",
                            "holdout": "value", "agree_light": "value", "agree_heavy": "value"},
    "a4-clv": {"retention_2024": "value", "margin_2024": "value", "clv_conventions": "value",
               "bg_params": "value", "clv_12m": "value", "p_alive": "value",
               "expected_alive": "value", "true_alive": "value", "accuracy": "value"},
}


def _plain(item):
    """One index label or table entry as a JSON value."""
    if isinstance(item, np.generic):
        item = item.item()
    if item is None or isinstance(item, (bool, int, str)):
        return item
    if isinstance(item, float):
        return item
    if isinstance(item, pd.Timestamp):
        return item.isoformat()
    if isinstance(item, tuple):
        return [_plain(x) for x in item]
    try:
        if pd.isna(item):
            return None
    except (TypeError, ValueError):
        pass
    return str(item)


def _column(values) -> list:
    return [_plain(x) for x in pd.Series(values, dtype=object).tolist()]


def encode(value, mode: str = "value") -> dict:
    """One answer as JSON-ready data.

    Examples
    --------
    >>> encode(0.25)
    {'kind': 'value', 'value': 0.25}
    >>> encode(pd.Series({7: "A"}))["values"]
    ['A']
    """
    if mode == "shape":
        if isinstance(value, pd.DataFrame):
            return {"kind": "shape", "rows": len(value), "columns": _column(value.columns)}
        return {"kind": "unsupported", "type": type(value).__name__}
    if isinstance(value, pd.DataFrame):
        return {"kind": "frame", "index": _column(value.index), "columns": _column(value.columns),
                "data": [_column(value.iloc[:, i]) for i in range(value.shape[1])]}
    if isinstance(value, pd.Series):
        return {"kind": "series", "index": _column(value.index), "values": _column(value)}
    if isinstance(value, (np.ndarray, list, tuple)):
        return {"kind": "array", "values": _column(np.asarray(value, dtype=object).ravel())}
    if isinstance(value, dict):
        return {"kind": "dict", "items": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, (np.generic, bool, int, float, str)) or value is None:
        return {"kind": "value", "value": _plain(value)}
    return {"kind": "unsupported", "type": type(value).__name__}


class Shape:
    """What the grader sees of a table exported by its shape only."""

    def __init__(self, rows: int, columns: list):
        self.rows, self.columns = rows, list(columns)

    def __len__(self) -> int:
        return self.rows


def _index(labels):
    return pd.Index(labels, dtype=object).infer_objects()


def decode(data):
    """The pandas or Python value of one exported answer.

    Examples
    --------
    >>> decode(encode(pd.Series({7: "A", 9: "C"}))).to_dict()
    {7: 'A', 9: 'C'}
    >>> decode({"kind": "what"})
    Traceback (most recent call last):
    ...
    ValueError: decode: unknown answer kind 'what'; expected one of ['array', 'dict', \
'frame', 'series', 'shape', 'unsupported', 'value']
    """
    kinds = ["array", "dict", "frame", "series", "shape", "unsupported", "value"]
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "value":
        return data["value"]
    if kind == "series":
        return pd.Series(data["values"], index=_index(data["index"]), dtype=object).infer_objects()
    if kind == "frame":
        columns = {i: pd.Series(col, dtype=object).infer_objects()
                   for i, col in enumerate(data["data"])}
        frame = pd.DataFrame({i: col.to_numpy() for i, col in columns.items()},
                             index=_index(data["index"]))
        frame.columns = _index(data["columns"])
        return frame
    if kind == "array":
        return pd.Series(data["values"], dtype=object).infer_objects().to_numpy()
    if kind == "dict":
        return {k: decode(v) for k, v in data["items"].items()}
    if kind == "shape":
        return Shape(int(data["rows"]), data["columns"])
    if kind == "unsupported":
        raise ValueError(f"an object of type {data.get('type')!r}, not plain data")
    raise ValueError(f"decode: unknown answer kind {kind!r}; expected one of {kinds}")


def export_payload(assignment: str, student_id, namespace: dict) -> dict:
    """The answers of ``assignment`` found in ``namespace``, encoded, with what is missing."""
    if assignment not in ANSWERS:
        raise ValueError(f"export_answers: unknown assignment {assignment!r}; assignments are "
                         f"{sorted(ANSWERS)}")
    answers, missing = {}, []
    for name, mode in ANSWERS[assignment].items():
        if name not in namespace:
            missing.append(name)
            continue
        answers[name] = encode(namespace[name], mode)
    return {"assignment": assignment, "student_id": str(student_id), "answers": answers,
            "missing": missing}


def read_payload(text: str) -> dict:
    """The export cell's stored output, parsed as data (never executed)."""
    if not isinstance(text, str) or len(text) > MAX_EXPORT_CHARS:
        raise ValueError(f"read_payload: the exported answers must be text of at most "
                         f"{MAX_EXPORT_CHARS} characters")
    payload = json.loads(text)
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise ValueError("read_payload: the exported answers are not an object with 'answers'")
    return payload


def dumps(payload: dict) -> str:
    """Compact JSON text; NaN is written as null so that any JSON reader accepts it."""
    def clean(x):
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x
    return json.dumps(clean(payload), separators=(",", ":"))
