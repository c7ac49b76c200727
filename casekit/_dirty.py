"""The dirty variant: one customer base as sales, service and billing recorded it.

Every department keeps its own customer file.  The same customer shows up in
several files, sometimes twice in one, with typos, format variants of names,
phones, addresses and company suffixes, and missing values.  The true
record-to-customer mapping is returned separately, as truth.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# Chance that a department has a record of a customer (assumption: billing
# knows nearly everyone, service only those who ever called).
SOURCES = {"sales": 0.85, "service": 0.55, "billing": 0.95}
# Chance of a second record of the same customer in one department (assumption).
DUPLICATE = 0.08
# Chance of each kind of damage per record (assumption).
TYPO = 0.08
NAME_FORMAT = 0.10
PHONE_FORMAT = 0.35
ADDRESS_FORMAT = 0.30
SUFFIX_VARIANT = 0.35
UPPER = 0.05
MISSING = {"phone": 0.10, "email": 0.15, "address": 0.08}

_EN_SUFFIXES = [
    ("Inc", ["Inc.", "Incorporated", "INC"]),
    ("LLC", ["L.L.C.", "Llc", "LLC."]),
    ("Ltd", ["Ltd.", "Limited"]),
    ("PLC", ["Plc", "P.L.C."]),
    ("Group", ["Grp", "Group Inc"]),
    ("and", ["&"]),
]
_ZH_SUFFIXES = [
    ("有限公司", ["公司", "有限责任公司", "股份有限公司"]),
    ("公司", ["有限公司", "集团"]),
]
_EN_STREET = [
    ("Street", "St."), ("Avenue", "Ave."), ("Road", "Rd."), ("Suite", "Ste"),
    ("Apt.", "Apartment"), ("Drive", "Dr."), ("Lane", "Ln."), ("Court", "Ct."),
]
_ZH_STREET = [("路", "路 "), ("街", "街道"), ("座", "栋"), ("号", "#")]
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _typo(text: str, u: float, v: float) -> str:
    if len(text) < 3:
        return text
    i = 1 + int(u * (len(text) - 2))
    kind = int(v * 3)
    if kind == 0:  # swap two neighbours
        return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]
    if kind == 1:  # drop one character
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]  # double one character


def _name_variant(name: str, locale: str, u: float) -> str:
    if locale == "zh_CN":
        return f"{name[0]} {name[1:]}" if u < 0.5 else f"{name[0]}{'先生' if u < 0.75 else '女士'}"
    parts = name.split()
    if len(parts) < 2:
        return name
    if u < 0.5:
        return f"{parts[-1]}, {' '.join(parts[:-1])}"
    return f"{parts[0][0]}. {' '.join(parts[1:])}"


def _phone_variant(phone: str, locale: str, u: float) -> str:
    digits = re.sub(r"\D", "", phone)
    if locale == "zh_CN":
        if u < 0.34:
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        if u < 0.67:
            return f"+86 {digits}"
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if u < 0.34:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if u < 0.67:
        return digits
    return f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}"


def _swap_first(text: str, pairs, u: float) -> str:
    found = [(a, b) for a, b in pairs if a in text]
    if not found:
        return text
    # Only the first listed pattern that occurs, so that a longer suffix wins.
    a, options = found[0]
    if isinstance(options, str):
        return text.replace(a, options, 1)
    return text.replace(a, options[int(u * 997) % len(options)], 1)


def make_records(identity: pd.DataFrame, rng: np.random.Generator, locale: str):
    """Department records and the true mapping for the customers in ``identity``.

    ``identity`` holds one clean row per customer with ``customer_id``,
    ``name``, ``phone``, ``email``, ``address``, ``city`` and optionally
    ``company``.  Returns ``(records, record_map)``.
    """
    n = len(identity)
    names = list(SOURCES)
    present = rng.random((n, len(names))) < np.asarray(list(SOURCES.values()))
    # Every customer is known to at least one department.
    nobody = ~present.any(axis=1)
    present[nobody, rng.integers(0, len(names), int(nobody.sum()))] = True
    copies = present.astype(np.int64) + (present & (rng.random(present.shape) < DUPLICATE))
    cust = np.repeat(np.repeat(np.arange(n), len(names)), copies.ravel())
    source = np.repeat(np.tile(np.arange(len(names)), n), copies.ravel())
    m = len(cust)
    order = rng.permutation(m)
    cust, source = cust[order], source[order]

    columns = ["name", "company", "phone", "email", "address", "city"]
    has_company = "company" in identity.columns
    base = {c: identity[c].to_numpy()[cust] for c in columns if c in identity.columns}
    draws = rng.random((m, 6))
    hit = {
        "typo": draws[:, 0] < TYPO,
        "name": draws[:, 1] < NAME_FORMAT,
        "phone": draws[:, 2] < PHONE_FORMAT,
        "address": draws[:, 3] < ADDRESS_FORMAT,
        "suffix": draws[:, 4] < SUFFIX_VARIANT,
        "upper": draws[:, 5] < UPPER,
    }
    shape = rng.random((m, 2))
    suffixes = _ZH_SUFFIXES if locale == "zh_CN" else _EN_SUFFIXES
    streets = _ZH_STREET if locale == "zh_CN" else _EN_STREET

    name = base["name"].copy()
    for i in np.flatnonzero(hit["name"]):
        name[i] = _name_variant(name[i], locale, shape[i, 0])
    for i in np.flatnonzero(hit["typo"]):
        name[i] = _typo(name[i], shape[i, 0], shape[i, 1])
    for i in np.flatnonzero(hit["upper"] & (locale != "zh_CN")):
        name[i] = name[i].upper()
    phone = base["phone"].copy()
    for i in np.flatnonzero(hit["phone"]):
        phone[i] = _phone_variant(phone[i], locale, shape[i, 1])
    address = base["address"].copy()
    for i in np.flatnonzero(hit["address"]):
        if locale == "zh_CN" and shape[i, 0] < 0.3:
            address[i] = address[i].translate(_FULLWIDTH)
        else:
            address[i] = _swap_first(address[i], streets, shape[i, 1])
    records = {"record_id": None, "source": np.asarray(names, dtype=object)[source], "name": name}
    if has_company:
        company = base["company"].copy()
        for i in np.flatnonzero(hit["suffix"]):
            company[i] = _swap_first(company[i], suffixes, shape[i, 0])
        records["company"] = company
    records.update(phone=phone, email=base["email"].copy(), address=address, city=base["city"])
    gone = rng.random((m, len(MISSING))) < np.asarray(list(MISSING.values()))
    for k, column in enumerate(MISSING):
        records[column] = np.where(gone[:, k], None, records[column])
    width = max(6, len(str(m)))
    record_id = np.asarray([f"R-{i:0{width}d}" for i in range(1, m + 1)], dtype=object)
    records["record_id"] = record_id
    customer_id = identity["customer_id"].to_numpy()[cust]
    return (
        pd.DataFrame(records),
        pd.DataFrame({"record_id": record_id, "customer_id": customer_id}),
    )
