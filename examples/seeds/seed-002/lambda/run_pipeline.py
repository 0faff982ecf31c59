"""The AI Log Anomaly Detector's pipeline (seed 002), rebuilt from its description as one Lambda.

An application log file uploaded to S3 (the S3 notification arrives through SQS) is read, parsed into
`<date> <time> <LEVEL> <message>` records, turned into features (the encoded severity and how frequent that
severity is in the file), scored by an Isolation Forest (contamination 0.2), and every anomaly is stored in the
DynamoDB table LogAnomalies; an alert line is printed for each file that has anomalies.
"""
import json
import os
import urllib.parse

import boto3

from ingestion.log_collector import read_object
from ml.anomaly_detector import detect
from ml.feature_engineering import features
from parsing import parse_lines
from storage.dynamodb_client import store_anomalies
from alerts.alert_system import alert

s3 = boto3.client("s3")
TABLE = os.environ.get("ANOMALY_TABLE", "LogAnomalies")


def _objects(event):
    """The (bucket, key) pairs of the S3 ObjectCreated notifications inside an SQS batch."""
    for record in event.get("Records", []):
        body = json.loads(record["body"])
        for r in body.get("Records", []):
            if r.get("eventSource") == "aws:s3" and r.get("eventName", "").startswith("ObjectCreated"):
                yield r["s3"]["bucket"]["name"], urllib.parse.unquote_plus(r["s3"]["object"]["key"])


def lambda_handler(event, context):
    total = 0
    for bucket, key in _objects(event):
        records, skipped = parse_lines(read_object(s3, bucket, key))
        if not records:
            print(f"{key}: no log lines ({skipped} skipped)")
            continue
        flags = detect(features(records))
        anomalies = [r for r, bad in zip(records, flags) if bad]
        print(f"{key}: {len(records)} lines parsed, {skipped} skipped, {len(anomalies)} anomalies")
        if anomalies:
            store_anomalies(TABLE, bucket, key, anomalies)
            alert(key, anomalies)
        total += len(anomalies)
    return {"anomalies": total}
