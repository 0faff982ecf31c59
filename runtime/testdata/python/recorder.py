"""A Lambda handler as a team would write it in Python: boto3 with no configuration (region, endpoint and
credentials come from the environment, as on Lambda). For every record of whatever event it gets (SQS, Kinesis,
SNS, a CloudWatch Logs subscription, a schedule) it writes one item to the DynamoDB table TABLE.

Words in a record steer it, so tests can make it fail: ``fail`` is reported in batchItemFailures, ``throw``
raises, ``once`` raises the first time the record is seen only, ``hang`` never returns, ``crash`` ends the process.
"""

import base64
import gzip
import json
import logging
import os
import time

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)
table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
seen = {}


def records_of(event):
    if "awslogs" in event:
        data = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
        source = "logs:%s:%s:%s:%s" % (data["logGroup"], data["logStream"], data["owner"], ",".join(data["subscriptionFilters"]))
        return [{"id": e["id"], "text": e["message"], "source": source} for e in data["logEvents"]]
    if event.get("detail-type") == "Scheduled Event":
        return [{"id": event["time"], "text": "tick " + event["time"], "source": "schedule:" + event["resources"][0]}]
    out = []
    for r in event["Records"]:
        if r.get("eventSource") == "aws:sqs":
            out.append({"id": r["messageId"], "text": r["body"], "source": "sqs:" + r["eventSourceARN"]})
        elif r.get("eventSource") == "aws:kinesis":
            out.append({"id": r["kinesis"]["sequenceNumber"], "text": base64.b64decode(r["kinesis"]["data"]).decode(), "source": "kinesis:" + r["eventSourceARN"]})
        elif r.get("EventSource") == "aws:sns":
            out.append({"id": r["Sns"]["MessageId"], "text": r["Sns"]["Message"], "source": "sns:%s:%s" % (r["Sns"]["TopicArn"], r["Sns"]["Subject"])})
        else:
            raise ValueError("unknown record %r" % r)
    return out


def lambda_handler(event, context):
    records = records_of(event)
    failures = []
    for r in records:
        n = seen.get(r["text"], 0) + 1
        seen[r["text"]] = n
        if "throw" in r["text"] or ("once" in r["text"] and n == 1):
            raise RuntimeError("asked to throw by " + r["text"])
        if "hang" in r["text"]:
            time.sleep(600)
        if "crash" in r["text"]:
            os._exit(3)
        if "fail" in r["text"]:
            failures.append({"itemIdentifier": r["id"]})
            continue
        table.put_item(
            Item={
                "pk": "%s#%s" % (context.function_name, r["text"]),
                "source": r["source"],
                "recordId": r["id"],
                "requestId": context.aws_request_id,
                "remainingMs": context.get_remaining_time_in_millis(),
                "memory": context.memory_limit_in_mb,
                "arn": context.invoked_function_arn,
                "seenTimes": n,
                "at": int(time.time() * 1000),
            }
        )
    print("recorded %d of %d" % (len(records) - len(failures), len(records)))
    logger.info("batch done")
    return {"batchItemFailures": failures, "records": len(records)}
