"""firehose-transform (seed 003): each WAF record Firehose delivered, transformed into the document's indicator
fields and summed per minute of the record's own time, as the OpenSearch detector's feature queries would sum
them (one item per minute in DynamoDB stands in for the index's aggregation).

moto's Firehose runs no transformation Lambda, so this runs on the S3 object Firehose wrote (notification →
SQS), record by record, with the same transform.
"""
import gzip
import json
import os
import urllib.parse
from collections import defaultdict

import boto3

from indicators import FIELDS, transform

s3 = boto3.client("s3")
dynamodb = boto3.client("dynamodb")
TABLE = os.environ.get("INDICATOR_TABLE", "waf-indicators")
MINUTE_MS = 60_000


def records_of(body):
    """WAF records in a Firehose object: JSON documents one after another (newline-separated or not)."""
    text = body.decode("utf-8")
    decoder = json.JSONDecoder()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        obj, i = decoder.raw_decode(text, i)
        yield obj


def lambda_handler(event, context):
    sums = defaultdict(lambda: dict.fromkeys(FIELDS + ["requests"], 0))
    acls = defaultdict(set)
    objects = 0
    for message in event.get("Records", []):
        for r in json.loads(message["body"]).get("Records", []):
            if r.get("eventSource") != "aws:s3":
                continue
            bucket = r["s3"]["bucket"]["name"]
            key = urllib.parse.unquote_plus(r["s3"]["object"]["key"])
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            if body[:2] == b"\x1f\x8b":
                body = gzip.decompress(body)
            objects += 1
            for record in records_of(body):
                minute = int(record["timestamp"]) // MINUTE_MS * MINUTE_MS
                row = sums[minute]
                for k, v in transform(record).items():
                    row[k] += v
                row["requests"] += 1
                if record.get("webaclId"):
                    acls[minute].add(record["webaclId"])
    for minute, row in sums.items():
        names = {f"#{k}": k for k in row}
        values = {f":{k}": {"N": str(v)} for k, v in row.items()}
        update = "ADD " + ", ".join(f"#{k} :{k}" for k in row)
        if acls[minute]:
            names["#acls"] = "webAcls"
            values[":acls"] = {"SS": sorted(acls[minute])}
            update += ", #acls :acls"
        dynamodb.update_item(TableName=TABLE, Key={"minute": {"S": str(minute)}}, UpdateExpression=update, ExpressionAttributeNames=names, ExpressionAttributeValues=values)
    print(f"{objects} objects, {sum(r['requests'] for r in sums.values())} records, {len(sums)} minutes")
    return {"objects": objects, "minutes": len(sums)}
