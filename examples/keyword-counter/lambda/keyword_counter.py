"""keyword-counter: a deliberately weak detector, as many teams start with one.

Every minute (an EventBridge schedule) it counts the lines of the last minute that contain ERROR, FATAL or
Exception in each log group it watches, and publishes an alarm to its own SNS topic when a group has more than a
fixed number. It knows no addresses, no keys, no baselines and no dependencies: whatever it catches, it catches
by volume of alarming words. Plain boto3; nothing here knows firedrill.
"""
import json
import os
from datetime import datetime, timezone

import boto3

# boto3 reads AWS_ENDPOINT_URL, the region and the credentials from the environment, as on Lambda.
logs = boto3.client("logs")
sns = boto3.client("sns")

GROUPS = [g for g in os.environ["LOG_GROUPS"].split(",") if g]
TOPIC = os.environ["ALARM_TOPIC_ARN"]
THRESHOLD = int(os.environ.get("LINES_PER_MINUTE", "20"))
KEYWORDS = ("ERROR", "FATAL", "Exception")


def count_alarming(group, start_ms, end_ms):
    count = 0
    paginator = logs.get_paginator("filter_log_events")
    for page in paginator.paginate(logGroupName=group, startTime=start_ms, endTime=end_ms - 1):
        for event in page.get("events", []):
            if any(k in event["message"] for k in KEYWORDS):
                count += 1
    return count


def lambda_handler(event, context):
    end = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    end_ms = int(end.timestamp() * 1000)
    start_ms = end_ms - 60_000
    alarms = []
    for group in GROUPS:
        count = count_alarming(group, start_ms, end_ms)
        if count <= THRESHOLD:
            continue
        alarm = {
            "alarm": "too many errors",
            "logGroup": group,
            "count": count,
            "threshold": THRESHOLD,
            "windowEnd": end.astimezone(timezone.utc).isoformat(),
        }
        sns.publish(TopicArn=TOPIC, Subject="keyword alarm", Message=json.dumps(alarm))
        print(f"ALARM {group}: {count} alarming lines in the minute to {alarm['windowEnd']}")
        alarms.append(alarm)
    return alarms
