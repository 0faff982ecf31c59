"""ML-ready features: the severity encoded as a number, and how frequent that severity is in the file."""
from collections import Counter

SEVERITY = {"DEBUG": 0, "INFO": 1, "WARNING": 2, "ERROR": 3, "CRITICAL": 4}


def features(records):
    counts = Counter(r["level"] for r in records)
    n = len(records)
    return [[SEVERITY[r["level"]], counts[r["level"]] / n] for r in records]
