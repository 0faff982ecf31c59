"""Alerts for detected anomalies: a line in the function's log per file (the document names no channel)."""


def alert(key, anomalies):
    levels = sorted({a["level"] for a in anomalies})
    print(f"ALERT: {len(anomalies)} anomalous log lines in {key} ({', '.join(levels)})")
