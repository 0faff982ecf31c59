"""model (seed 000, AWS-AIOps): TF-IDF + Isolation Forest over the last 3 hours of the appended log lines.

On its schedule it reads logs/ec2.log, logs/eks.log and logs/vpc.log from S3 (with retries and exponential
backoff), keeps the lines of the last 3 hours, turns them into TF-IDF vectors (100 features), fits an Isolation
Forest (contamination 0.1, seeded), writes the anomalous lines as CSV to anomalies/, and starts the remediation
state machine (DetectAnomaly → Remediate) with where they are.
"""
import csv
import datetime
import io
import json
import os
import time

import boto3
from botocore.exceptions import ClientError
from sklearn.ensemble import IsolationForest
from sklearn.feature_extraction.text import TfidfVectorizer

s3 = boto3.client("s3")
sfn = boto3.client("stepfunctions")
BUCKET = os.environ.get("LOG_BUCKET", "aiops-log-data")
STATE_MACHINE_ARN = os.environ.get("STATE_MACHINE_ARN", "")
SOURCES = ("ec2", "eks", "vpc")
WINDOW = datetime.timedelta(hours=3)


def _now(event):
    when = (event or {}).get("time")
    if when:
        return datetime.datetime.fromisoformat(when.replace("Z", "+00:00"))
    return datetime.datetime.now(datetime.timezone.utc)


def fetch(key, attempts=4):
    """The file's lines; a missing file is empty. Throttling and server errors are retried with backoff."""
    for attempt in range(attempts):
        try:
            return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode("utf-8").splitlines()
        except s3.exceptions.NoSuchKey:
            return []
        except ClientError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * 2 ** attempt)
    return []


def recent_lines(now):
    rows = []
    for src in SOURCES:
        for line in fetch(f"logs/{src}.log"):
            stamp, _, message = line.partition(" ")
            try:
                when = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                continue
            if now - WINDOW <= when <= now:
                rows.append({"source": src, "timestamp": stamp, "message": message})
    return rows


def detect(rows):
    """Indices of the anomalous rows (Isolation Forest's -1)."""
    if len(rows) < 2:
        return []
    vectors = TfidfVectorizer(max_features=100).fit_transform([r["message"] for r in rows])
    model = IsolationForest(contamination=0.1, random_state=42)
    return [i for i, p in enumerate(model.fit_predict(vectors)) if p == -1]


def lambda_handler(event, context):
    now = _now(event)
    rows = recent_lines(now)
    try:
        flagged = detect(rows)
    except ValueError as err:  # an empty vocabulary (only stop words or one-letter tokens)
        print(f"no model: {err}")
        flagged = []
    print(f"{len(rows)} lines in the last 3 hours, {len(flagged)} anomalies")
    if not flagged:
        return {"lines": len(rows), "anomalies": 0}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["source", "timestamp", "message"])
    writer.writeheader()
    for i in flagged:
        writer.writerow(rows[i])
    key = f"anomalies/anomalies_{now.strftime('%Y%m%dT%H%M%SZ')}.csv"
    s3.put_object(Bucket=BUCKET, Key=key, Body=out.getvalue().encode("utf-8"), ContentType="text/csv")
    if STATE_MACHINE_ARN:
        # Named after the run (Step Functions names an unnamed execution with a UUID; moto 5.2 names every one
        # "None", so a second one would fail as ExecutionAlreadyExists).
        sfn.start_execution(
            stateMachineArn=STATE_MACHINE_ARN,
            name=f"anomalies-{now.strftime('%Y%m%dT%H%M%SZ')}",
            input=json.dumps({"bucket": BUCKET, "anomalies": key, "count": len(flagged)}),
        )
    return {"lines": len(rows), "anomalies": len(flagged), "key": key}
