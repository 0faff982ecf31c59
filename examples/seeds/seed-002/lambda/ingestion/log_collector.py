"""Reads an uploaded log file from S3 (gzip when its bytes say so) as text lines."""
import gzip


def read_object(s3, bucket, key):
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return body.decode("utf-8", errors="replace").splitlines()
