"""Anomaly results into DynamoDB (structured, query-ready), one item per anomalous line."""
import boto3

dynamodb = boto3.resource("dynamodb")


def store_anomalies(table_name, bucket, key, anomalies):
    table = dynamodb.Table(table_name)
    with table.batch_writer(overwrite_by_pkeys=["id"]) as batch:
        for a in anomalies:
            batch.put_item(Item={
                "id": f"s3://{bucket}/{key}#{a['line']}",
                "timestamp": a["timestamp"],
                "level": a["level"],
                "message": a["message"],
                "source": f"s3://{bucket}/{key}",
            })
