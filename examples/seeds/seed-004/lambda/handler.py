"""log-rca-agent: the Log Monitoring Agent's RCA Lambda (seed 004), rebuilt from its description.

Every 5 minutes (EventBridge) it reads the three CloudWatch Logs groups with FilterLogEvents, from 12 hours
before to 6 hours after now, looks for each service's error by string matching, and when all three are present
prints the root cause chain. Nothing else: no state, no findings table, no remediation.
"""
import datetime
import os

import boto3

# The groups and the error each one shows in the document's cascade (its mock generator's wording).
LOG_GROUPS = {
    "rds": os.environ.get("RDS_LOG_GROUP", "/aws/rds/instance/mydb/postgresql"),
    "app": os.environ.get("APP_LOG_GROUP", "/ecs/my-python-service"),
    "ecs": os.environ.get("ECS_LOG_GROUP", "/aws/ecs/containerinsights/my-cluster/performance"),
}
PATTERNS = {
    "rds": "Maximum connections exceeded",
    "app": "psycopg2.OperationalError",
    "ecs": "failed ELB health check",
}
RCA = "RCA: RDS max connections exceeded → app timeouts → ECS restarts"

HOUR_MS = 3600 * 1000

logs = boto3.client("logs")


def _now_ms(event):
    """The scheduled event's time (what 'now' is for the invocation), else the clock."""
    when = (event or {}).get("time")
    if when:
        return int(datetime.datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp() * 1000)
    return int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)


def _found(group, pattern, start_ms, end_ms):
    """Does any event of the group in [start, end] contain the pattern? The quoted phrase narrows the read;
    the substring test is the agent's own string matching."""
    paginator = logs.get_paginator("filter_log_events")
    try:
        pages = paginator.paginate(logGroupName=group, startTime=start_ms, endTime=end_ms, filterPattern=f'"{pattern}"')
        for page in pages:
            for e in page.get("events", []):
                if pattern in e.get("message", ""):
                    return True
    except logs.exceptions.ResourceNotFoundException:
        print(f"log group {group} does not exist")
    return False


def lambda_handler(event, context):
    now = _now_ms(event)
    start, end = now - 12 * HOUR_MS, now + 6 * HOUR_MS
    found = {svc: _found(LOG_GROUPS[svc], PATTERNS[svc], start, end) for svc in LOG_GROUPS}
    print("errors found: " + ", ".join(f"{svc}={'yes' if hit else 'no'}" for svc, hit in found.items()))
    if all(found.values()):
        print(RCA)
        return {"rca": RCA, "found": found}
    return {"rca": None, "found": found}
