"""Isolation Forest over the features (unsupervised, no labels): contamination 0.2, seeded."""
from sklearn.ensemble import IsolationForest

CONTAMINATION = 0.2
SEED = 42


def detect(rows):
    if len(rows) < 2:
        return [False] * len(rows)
    model = IsolationForest(contamination=CONTAMINATION, random_state=SEED)
    return [p == -1 for p in model.fit_predict(rows)]
