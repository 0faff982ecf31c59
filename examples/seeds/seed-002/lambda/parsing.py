"""ETL: unstructured `<date> <time> <LEVEL> <message>` lines into records; anything else is skipped."""
import datetime
import re

LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,6}))?\s+(DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|FATAL)\s+(.*)$")


def parse_lines(lines):
    records, skipped = [], 0
    for n, line in enumerate(lines, start=1):
        m = LINE.match(line)
        if not m:
            skipped += 1
            continue
        day, clock, frac, level, message = m.groups()
        micros = int((frac or "0").ljust(6, "0"))
        when = datetime.datetime.fromisoformat(f"{day}T{clock}").replace(microsecond=micros, tzinfo=datetime.timezone.utc)
        level = {"WARN": "WARNING", "FATAL": "CRITICAL"}.get(level, level)
        records.append({"line": n, "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "level": level, "message": message})
    return records, skipped
