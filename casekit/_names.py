"""Names, companies, addresses and phones in a Faker locale, fast.

Faker costs tens of microseconds a call, so each generation asks Faker once
for pools of a few hundred to a few thousand values and then combines and
samples them with numpy.  Faker is seeded from a value drawn from the case's
generator, so the pools are as reproducible as the rest of the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: Locales whose names, companies, addresses and phone formats casekit can draw.
SUPPORTED_LOCALES = ("en_US", "zh_CN")

# Pool sizes are an assumption: combined (first x last name, street x city,
# user x number x domain) they give enough distinct values for a few thousand
# customers, and drawing them takes a fraction of a second.
_PERSON_POOL = 300
_COMPANY_POOL = 600
_STREET_POOL = 400
_CITY_POOL = 100
_USER_POOL = 200


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def _faker(locale: str):
    from faker import Faker

    return Faker(locale)


def _obj(values) -> np.ndarray:
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@dataclass(frozen=True)
class NamePools:
    """Values drawn once from Faker for one generation."""

    locale: str
    first: np.ndarray
    last: np.ndarray
    companies: np.ndarray
    streets: np.ndarray
    cities: np.ndarray
    users: np.ndarray
    domains: np.ndarray
    phone_prefixes: np.ndarray


def draw_pools(rng: np.random.Generator, locale: str) -> NamePools:
    """Draw the Faker pools for ``locale`` with a seed taken from ``rng``."""
    fake = _faker(locale)
    fake.seed_instance(int(rng.integers(0, 2**31 - 1)))
    if locale == "zh_CN":
        prefixes = [fake.phone_number()[:3] for _ in range(60)]
    else:
        # Area codes in the style of the locale's own numbers; digits come from numpy.
        prefixes = [f"{int(fake.numerify('%##')):03d}" for _ in range(60)]
    return NamePools(
        locale=locale,
        first=_obj(fake.first_name() for _ in range(_PERSON_POOL)),
        last=_obj(fake.last_name() for _ in range(_PERSON_POOL)),
        companies=_obj(fake.company() for _ in range(_COMPANY_POOL)),
        streets=_obj(fake.street_address() for _ in range(_STREET_POOL)),
        cities=_obj(fake.city() for _ in range(_CITY_POOL)),
        users=_obj(fake.user_name() for _ in range(_USER_POOL)),
        domains=_obj(fake.free_email_domain() for _ in range(8)),
        phone_prefixes=_obj(prefixes),
    )


def person_names(pools: NamePools, rng: np.random.Generator, n: int) -> np.ndarray:
    """Full names in the locale's order (family name first in Chinese)."""
    first = pools.first[rng.integers(0, len(pools.first), n)]
    last = pools.last[rng.integers(0, len(pools.last), n)]
    if pools.locale == "zh_CN":
        return _obj(f"{b}{a}" for a, b in zip(first, last, strict=True))
    return _obj(f"{a} {b}" for a, b in zip(first, last, strict=True))


def company_names(pools: NamePools, rng: np.random.Generator, n: int) -> np.ndarray:
    """Company names; a name that repeats gets a branch city, as real registers do."""
    pick = rng.integers(0, len(pools.companies), n)
    city = pools.cities[rng.integers(0, len(pools.cities), n)]
    names = pools.companies[pick]
    seen = np.zeros(len(pools.companies), dtype=bool)
    out = np.empty(n, dtype=object)
    for i, (j, name) in enumerate(zip(pick, names, strict=True)):
        if seen[j]:
            out[i] = f"{city[i]}{name}" if pools.locale == "zh_CN" else f"{name} ({city[i]})"
        else:
            out[i] = name
            seen[j] = True
    return out


def phones(pools: NamePools, rng: np.random.Generator, n: int) -> np.ndarray:
    """Phone numbers in the locale's canonical format."""
    prefix = pools.phone_prefixes[rng.integers(0, len(pools.phone_prefixes), n)]
    # Both locales draw the same numbers, so every other column is the same in both.
    mid = rng.integers(200, 1000, n)
    end = rng.integers(0, 10**4, n)
    if pools.locale == "zh_CN":
        return _obj(f"{a}{b:04d}{c:04d}" for a, b, c in zip(prefix, mid, end, strict=True))
    return _obj(f"({a}) {b:03d}-{c:04d}" for a, b, c in zip(prefix, mid, end, strict=True))


def addresses(pools: NamePools, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Street addresses and their cities."""
    street = pools.streets[rng.integers(0, len(pools.streets), n)]
    city = pools.cities[rng.integers(0, len(pools.cities), n)]
    number = rng.integers(1, 10_000, n)  # drawn in both locales, as in phones()
    if pools.locale == "en_US":
        # A fresh house number makes the pooled street names go further.
        street = _obj(f"{k} {s.split(' ', 1)[1]}" if s[:1].isdigit() and " " in s else s
                      for k, s in zip(number, street, strict=True))
    return street, city


def emails(pools: NamePools, rng: np.random.Generator, n: int) -> np.ndarray:
    """E-mail addresses built from Faker user names, a number and a free domain."""
    user = pools.users[rng.integers(0, len(pools.users), n)]
    number = rng.integers(1, 1000, n)
    domain = pools.domains[rng.integers(0, len(pools.domains), n)]
    return _obj(f"{u}{k}@{d}" for u, k, d in zip(user, number, domain, strict=True))
