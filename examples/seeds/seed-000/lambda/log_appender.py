"""log_appender (seed 000, AWS-AIOps): CloudWatch Logs records from Kinesis appended to per-source files in S3.

Each Kinesis record holds a CloudWatch Logs subscription payload (gzip JSON). Its log events are formatted as
one line each (`<ISO time> <message>`, newlines folded), sorted by the source its logStreamName shows (ec2, eks,
vpc), and appended to logs/<source>.log: the file is read, lines already in it are dropped, and it is written
back.
"""
import base64
import datetime
import gzip
import json
import os

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ.get("LOG_BUCKET", "aiops-log-data")


def source_of(log_stream):
    """ec2, eks or vpc from the stream name: VPC Flow Logs name streams after the ENI, EKS after the control
    plane component, and the CloudWatch agent on EC2 after the instance (the default)."""
    s = log_stream.lower()
    if s.startswith("eni-") or "vpc" in s:
        return "vpc"
    if "eks" in s or s.startswith("kube-") or "authenticator" in s:
        return "eks"
    return "ec2"


def format_line(event):
    when = datetime.datetime.fromtimestamp(event["timestamp"] / 1000, tz=datetime.timezone.utc)
    message = " ".join(event["message"].replace("\r", "\n").split("\n")).strip()
    return f"{when.isoformat(timespec='milliseconds').replace('+00:00', 'Z')} {message}"


def read_lines(key):
    try:
        body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode("utf-8")
    except s3.exceptions.NoSuchKey:
        return []
    return body.splitlines()


def lambda_handler(event, context):
    new = {"ec2": [], "eks": [], "vpc": []}
    for record in event.get("Records", []):
        payload = json.loads(gzip.decompress(base64.b64decode(record["kinesis"]["data"])))
        if payload.get("messageType") != "DATA_MESSAGE":
            continue
        src = source_of(payload.get("logStream", ""))
        new[src].extend(format_line(e) for e in payload.get("logEvents", []))
    appended = {}
    for src, lines in new.items():
        if not lines:
            continue
        key = f"logs/{src}.log"
        existing = read_lines(key)
        seen = set(existing)
        fresh = []
        for line in lines:
            if line not in seen:
                seen.add(line)
                fresh.append(line)
        if fresh:
            s3.put_object(Bucket=BUCKET, Key=key, Body=("\n".join(existing + fresh) + "\n").encode("utf-8"))
        appended[src] = len(fresh)
    print(f"appended {appended}")
    return {"appended": appended}
