"""Identify (客户识别): link the records several departments keep into customers.

Three steps, each a public function so that students can look inside:

1. :func:`record_pairs` proposes candidate pairs (records that share a phone
   number, an e-mail address or a name key) and scores how alike they are;
2. :func:`match_records` links every pair scoring at least ``threshold`` and
   gives each connected group of records one ``match_id``;
3. :func:`match_quality` compares the groups with the true mapping, counting
   pairs of records: precision is the share of linked pairs that really are
   one customer, recall the share of true pairs that were linked.
"""

from __future__ import annotations

import numbers
import re
import unicodedata

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ._validation import check_frame, check_same_ids

#: How much each field counts in a pair's score (only fields both records have count).
FIELD_WEIGHTS = {"name": 0.35, "company": 0.2, "phone": 0.2, "email": 0.15, "address": 0.1}

_SUFFIXES = re.compile(
    r"\b(inc|incorporated|llc|l l c|ltd|limited|plc|p l c|group|grp|co|corp|corporation)\b"
    r"|有限责任公司|股份有限公司|有限公司|公司|集团"
)
_TITLES = re.compile(r"先生|女士|\b(mr|mrs|ms|dr)\b")
_STREET = {"st": "street", "ave": "avenue", "rd": "road", "ste": "suite", "apt": "apartment",
           "dr": "drive", "ln": "lane", "ct": "court", "街道": "街", "栋": "座", "#": "号"}


def _clean(text) -> str:
    """Lower case, ASCII digits, no punctuation, single spaces."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w#]+", " ", text).split())


def _name_key(name) -> str:
    """A name with its parts sorted, so 'Smith, John' and 'John Smith' agree."""
    if isinstance(name, str) and "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    cleaned = _TITLES.sub(" ", _clean(name))
    if re.search(r"[\u4e00-\u9fff]", cleaned):  # Chinese names: family name first, no spaces
        return cleaned.replace(" ", "")
    return " ".join(sorted(cleaned.split()))


def _phone_key(phone) -> str:
    # numbers as read from a spreadsheet (4155550100, or 4155550100.0 beside empty cells)
    if isinstance(phone, numbers.Integral) and not isinstance(phone, bool):
        phone = str(int(phone))
    elif isinstance(phone, numbers.Real) and np.isfinite(phone) and float(phone).is_integer():
        phone = str(int(phone))
    if not isinstance(phone, str):
        return ""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    return digits[-10:] if len(digits) >= 10 else digits


def _address_key(address) -> str:
    return " ".join(_STREET.get(word, word) for word in _clean(address).split())


def normalize_records(records: pd.DataFrame, *, record_col: str = "record_id") -> pd.DataFrame:
    """Comparable keys for each record: cleaned name, company, phone, e-mail and address.

    Examples
    --------
    >>> records = pd.DataFrame({"record_id": ["r1", "r2"],
    ...                         "name": ["Smith, John", "JOHN SMITH"],
    ...                         "phone": ["+1 415 555 0100", "415-555-0100"]})
    >>> normalize_records(records)[["name", "phone"]].to_dict("list")
    {'name': ['john smith', 'john smith'], 'phone': ['4155550100', '4155550100']}

    Phone numbers stored as numbers are read as their digits:

    >>> normalize_records(records.assign(phone=[4155550100, 14155550100]))["phone"].tolist()
    ['4155550100', '4155550100']
    """
    return _normalize(records, record_col, "normalize_records")


def _normalize(records, record_col: str, func: str) -> pd.DataFrame:
    fields = [c for c in FIELD_WEIGHTS if c in getattr(records, "columns", ())]
    if isinstance(records, pd.DataFrame) and not fields:
        raise ValueError(
            f"{func}: records need at least one of the columns {list(FIELD_WEIGHTS)!r} to "
            f"compare; columns are {list(map(str, records.columns))!r}"
        )
    columns = {record_col: "key", **{c: "any" for c in fields}}
    clean = check_frame(records, func=func, columns=columns, name="records",
                        unique=record_col)
    _one_id_type(clean[record_col], func, record_col)
    keys = pd.DataFrame({record_col: clean[record_col]}, index=clean.index)
    cleaners = {"name": _name_key, "phone": _phone_key, "email": _clean,
                "address": _address_key,
                "company": lambda c: " ".join(_SUFFIXES.sub(" ", _clean(c)).split())}
    for field, cleaner in cleaners.items():
        if field in clean:
            keys[field] = clean[field].map(cleaner)
    return keys.reset_index(drop=True)


def _one_id_type(ids: pd.Series, func: str, record_col: str) -> None:
    """Refuse ids mixing text and numbers: they cannot be ordered, nor joined reliably."""
    if pd.api.types.infer_dtype(ids, skipna=True) in ("mixed", "mixed-integer"):
        kinds = ids.map(lambda v: type(v).__name__)
        examples = ids.groupby(kinds.to_numpy()).first().tolist()
        raise ValueError(
            f"{func}: column {record_col!r} in records mixes ids of different types "
            f"({', '.join(sorted(kinds.unique()))}), e.g. {examples!r}; give every record "
            f"an id of one type, e.g. with .astype(str)"
        )


#: Blocks up to this size are compared in full; the default cases' largest has 235 records.
BLOCK_CAP = 256
#: In a larger block each record meets only its neighbours in the sorted block, this many
#: each side: the pairs grow linearly with the records, not with the square of a block.
WINDOW = 24


def _candidates(keys: pd.DataFrame) -> np.ndarray:
    """Index pairs (i < j) of records that share at least one blocking key.

    Records that share a phone number, an e-mail address, or the first four
    characters and length class of a name or company form a block.  Small
    blocks give all their pairs; a block larger than :data:`BLOCK_CAP` (6,000
    "John Smith"s) is sorted by the full key and each record is paired with
    the :data:`WINDOW` records that follow it (sorted neighbourhood).
    """
    pairs = [np.empty((0, 2), dtype=np.int64)]
    for field in ("phone", "email", "name", "company"):
        if field not in keys:
            continue
        values = keys[field]
        if field in ("phone", "email"):
            block = values.where(values.str.len() >= 6)
        else:  # names and companies block on their first 4 characters plus length class
            block = values.str[:4] + "|" + (values.str.len() // 4).astype(str)
            block = block.where(values.str.len() >= 2)
        members = pd.DataFrame({"block": block, "key": values,
                                "row": np.arange(len(keys))}).dropna(subset=["block"])
        size = members.groupby("block")["row"].transform("size")
        small = members.loc[size <= BLOCK_CAP, ["block", "row"]]
        joined = small.merge(small, on="block")
        joined = joined.loc[joined["row_x"] < joined["row_y"], ["row_x", "row_y"]]
        pairs.append(joined.to_numpy(dtype=np.int64))
        large = members.loc[size > BLOCK_CAP].sort_values(["block", "key", "row"],
                                                          kind="stable")
        blocks, rows = large["block"].to_numpy(), large["row"].to_numpy(dtype=np.int64)
        for step in range(1, WINDOW + 1):
            same = blocks[:-step] == blocks[step:]
            a, b = rows[:-step][same], rows[step:][same]
            pairs.append(np.column_stack([np.minimum(a, b), np.maximum(a, b)]))
    # One int64 per pair (i * n + j): a 1-D unique is far faster than np.unique(axis=0),
    # and gives the same pairs in the same order.
    n = np.int64(len(keys))
    both = np.concatenate(pairs)
    code = np.unique(both[:, 0] * n + both[:, 1])
    return np.column_stack([code // n, code % n])


def record_pairs(records: pd.DataFrame, *, record_col: str = "record_id") -> pd.DataFrame:
    """Score candidate pairs of records; 1 means identical on every shared field.

    Each field is compared with a fuzzy ratio from 0 to 1 (names ignore word
    order); the score is the weighted mean over the fields both records have,
    with weights :data:`FIELD_WEIGHTS`.

    Examples
    --------
    >>> records = pd.DataFrame({
    ...     "record_id": ["r1", "r2", "r3"],
    ...     "name": ["Smith, John", "John Smith", "Mary Jones"],
    ...     "phone": ["415-555-0100", "4155550100", "212-555-0199"]})
    >>> record_pairs(records)[["record_a", "record_b", "score"]]
      record_a record_b  score
    0       r1       r2    1.0
    """
    return _pairs(records, record_col, "record_pairs")


def _pairs(records, record_col: str, func: str) -> pd.DataFrame:
    keys = _normalize(records, record_col, func)
    index = _candidates(keys)
    first, second = index[:, 0], index[:, 1]
    ids = keys[record_col].to_numpy()
    out = pd.DataFrame({"record_a": ids[first], "record_b": ids[second]})
    total = np.zeros(len(index))
    weight = np.zeros(len(index))
    for field, w in FIELD_WEIGHTS.items():
        if field not in keys:
            continue
        values = keys[field].to_numpy()
        present = values != ""
        both = present[first] & present[second]
        scorer = fuzz.token_sort_ratio if field == "name" else fuzz.ratio
        similarity = np.zeros(len(index), dtype=np.float32)  # as rapidfuzz gives them
        if both.any():  # only pairs where both records have the field are compared
            similarity[both] = process.cpdist(values[first[both]], values[second[both]],
                                              scorer=scorer) / 100
        out[field] = np.where(both, similarity, np.nan)
        total += w * np.where(both, similarity, 0.0)
        weight += w * both
    out["score"] = np.round(np.divide(total, weight, out=np.zeros_like(total), where=weight > 0), 4)
    # Score first (highest first), then the ids in their sorted order: ranks of the ids
    # sort as the ids do, and integers sort far faster than millions of strings.
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    order = np.lexsort((rank[second], rank[first], -out["score"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def match_records(
    records: pd.DataFrame,
    *,
    threshold: float = 0.8,
    pairs: pd.DataFrame | None = None,
    record_col: str = "record_id",
) -> pd.DataFrame:
    """Group records into customers: link pairs scoring at least ``threshold``.

    Parameters
    ----------
    records : DataFrame
        One row per department record, with ``record_col`` and any of the
        columns ``name``, ``company``, ``phone``, ``email``, ``address``.
    threshold : float
        Lowest pair score (0 to 1) that counts as the same customer. Lower
        values link more records: recall rises, precision falls.
    pairs : DataFrame, optional
        The output of :func:`record_pairs`, to skip scoring again.

    Returns
    -------
    DataFrame
        ``record_col`` and ``match_id``: records with one match id are taken to
        be one customer.

    Examples
    --------
    >>> records = pd.DataFrame({"record_id": ["r1", "r2", "r3"],
    ...                         "name": ["Smith, John", "John Smith", "Mary Jones"]})
    >>> match_records(records, threshold=0.9)["match_id"].tolist()
    [0, 0, 1]
    """
    if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise ValueError(f"match_records: threshold must be a number from 0 to 1; found "
                         f"{threshold!r}")
    clean = check_frame(records, func="match_records", columns={record_col: "key"},
                        name="records", unique=record_col)
    _one_id_type(clean[record_col], "match_records", record_col)
    ids = clean[record_col].to_numpy()
    if pairs is None:
        pairs = _pairs(records, record_col, "match_records")
    position = pd.Series(np.arange(len(ids)), index=ids)
    linked = pairs.loc[pairs["score"] >= threshold]
    try:
        rows = position[linked["record_a"]].to_numpy()
        cols = position[linked["record_b"]].to_numpy()
    except KeyError:
        raise ValueError("match_records: pairs name records that are not in records; "
                         "compute them with record_pairs(records)") from None
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=False)
    # Number groups by their first record, so ids do not depend on the graph routine.
    _, match_id = np.unique(labels, return_inverse=True)
    order = pd.Series(match_id).drop_duplicates()
    renumber = pd.Series(np.arange(len(order)), index=order.to_numpy())
    return pd.DataFrame({record_col: ids, "match_id": renumber[match_id].to_numpy()})


def _pairs_within(groups: pd.Series) -> int:
    sizes = groups.value_counts().to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def match_quality(
    matches: pd.DataFrame,
    record_map: pd.DataFrame,
    *,
    record_col: str = "record_id",
    customer_col: str = "customer_id",
) -> pd.Series:
    """Pairwise precision, recall and F1 of a matching against the true mapping.

    Examples
    --------
    >>> matches = pd.DataFrame({"record_id": ["r1", "r2", "r3"], "match_id": [0, 0, 0]})
    >>> truth = pd.DataFrame({"record_id": ["r1", "r2", "r3"], "customer_id": ["a", "a", "b"]})
    >>> match_quality(matches, truth).round(3).to_dict()
    {'precision': 0.333, 'recall': 1.0, 'f1': 0.5, 'customers_found': 1.0, 'customers_true': 2.0}
    """
    found = check_frame(matches, func="match_quality", name="matches",
                        columns={record_col: "key", "match_id": "key"}, unique=record_col)
    truth = check_frame(record_map, func="match_quality", name="record_map",
                        columns={record_col: "key", customer_col: "key"}, unique=record_col)
    check_same_ids(found[record_col], truth[record_col], func="match_quality",
                   left_name="matches", right_name="record_map", column=record_col)
    both = found.merge(truth, on=record_col, how="outer", indicator=True)
    missing = both.loc[both["_merge"] != "both", record_col]
    if len(missing):
        raise ValueError(f"match_quality: {len(missing)} records appear in only one of matches "
                         f"and record_map, e.g. {missing.head(5).tolist()}")
    linked = _pairs_within(both["match_id"])
    true_pairs = _pairs_within(both[customer_col])
    correct = _pairs_within(both["match_id"].astype(str) + "|" + both[customer_col].astype(str))
    precision = correct / linked if linked else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return pd.Series({"precision": precision, "recall": recall, "f1": f1,
                      "customers_found": float(both["match_id"].nunique()),
                      "customers_true": float(both[customer_col].nunique())})
