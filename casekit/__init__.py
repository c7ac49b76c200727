"""casekit: synthetic CRM cases with ground truth, and the analytics to study them.

The public API is what ``__all__`` names; modules whose names start with an
underscore are internal and may change without notice.

>>> import casekit
>>> casekit.__version__
'0.1.0'
"""

__version__ = "0.1.0"

__all__ = [
    "__version__",
]
