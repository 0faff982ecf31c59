"""anomaly-detector (seed 003): the OpenSearch Anomaly Detector's job, every minute: the indicator sums of each
finished minute, in order, into a streaming Random Cut Forest (AWS's RCF, through the krcf bindings); a minute
whose score passes the threshold is published to SNS.

The forest lives on between invocations as OpenSearch keeps its model: serialized to S3 after each run.
"""
import datetime
import json
import os

import boto3
import krcf

from indicators import FIELDS

s3 = boto3.client("s3")
dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")
TABLE = os.environ.get("INDICATOR_TABLE", "waf-indicators")
BUCKET = os.environ["STATE_BUCKET"]
STATE_KEY = os.environ.get("STATE_KEY", "detector/state.json")
TOPIC_ARN = os.environ["ALERT_TOPIC_ARN"]
MINUTE_MS = 60_000
# A minute is read once it has ended and one more minute passed (OpenSearch AD's window delay), so late
# records of it are in.
WINDOW_DELAY_MS = int(os.environ.get("WINDOW_DELAY_MS", "60000"))
THRESHOLD = float(os.environ.get("SCORE_THRESHOLD", "2.0"))
OPTIONS = {"dimensions": len(FIELDS), "shingle_size": 1, "num_trees": 50, "sample_size": 256, "output_after": 5, "random_seed": 42}


def _now_ms(event):
    when = (event or {}).get("time")
    if when:
        return int(datetime.datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp() * 1000)
    return int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)


def load_state():
    try:
        state = json.loads(s3.get_object(Bucket=BUCKET, Key=STATE_KEY)["Body"].read())
        return krcf.RandomCutForest.from_json(state["forest"]), state["lastMinute"]
    except s3.exceptions.NoSuchKey:
        return krcf.RandomCutForest(OPTIONS), None


def save_state(forest, last_minute):
    s3.put_object(Bucket=BUCKET, Key=STATE_KEY, Body=json.dumps({"forest": forest.to_json(), "lastMinute": last_minute}).encode("utf-8"))


def minutes():
    items = {}
    for page in dynamodb.get_paginator("scan").paginate(TableName=TABLE):
        for item in page.get("Items", []):
            items[int(item["minute"]["S"])] = item
    return items


def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def lambda_handler(event, context):
    now = _now_ms(event)
    forest, last = load_state()
    items = minutes()
    if not items:
        return {"minutes": 0, "alerts": 0}
    first = min(items) if last is None else last + MINUTE_MS
    until = (now - WINDOW_DELAY_MS) // MINUTE_MS * MINUTE_MS - MINUTE_MS  # the last finished minute
    alerts = 0
    minute = first
    for minute in range(first, until + 1, MINUTE_MS):
        item = items.get(minute)
        if item is None:
            # A minute without a record has no feature values: OpenSearch AD leaves such an interval unscored
            # (no imputation), and so does this; the end of traffic is not an anomaly of its fields.
            continue
        point = [float(item.get(f, {}).get("N", "0")) for f in FIELDS]
        ready = forest.is_output_ready()
        score = forest.score(point) if ready else 0.0
        forest.update(point)
        if ready and score >= THRESHOLD:
            attribution = forest.attribution(point)
            # The feature that moved the point most (RCF's attribution: high + low per dimension).
            push = [h + l for h, l in zip(attribution["high"], attribution["low"])]
            top = FIELDS[max(range(len(FIELDS)), key=lambda i: push[i])]
            message = {
                "detector": "waf-log-indicators",
                "periodStart": iso(minute),
                "periodEnd": iso(minute + MINUTE_MS),
                "anomalyScore": round(score, 3),
                "threshold": THRESHOLD,
                "topFeature": top,
                "features": dict(zip(FIELDS, point)),
                "requests": int(float(item.get("requests", {}).get("N", "0"))),
                "webAcls": sorted(item.get("webAcls", {}).get("SS", [])),
            }
            sns.publish(TopicArn=TOPIC_ARN, Subject="WAF log anomaly", Message=json.dumps(message))
            print(f"ALERT {message['periodStart']} score {score:.2f} top {top}")
            alerts += 1
    if until >= first:
        save_state(forest, until)
    return {"minutes": max(0, (until - first) // MINUTE_MS + 1), "alerts": alerts}
