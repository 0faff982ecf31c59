"""The document's transform of one WAF record into indicator fields (Kinesis Firehose, before OpenSearch).

The value sets are the document's own, compared as written: its mock log used "Challenge" and "Count", and
"UK" for Britain; AWS WAF writes CHALLENGE, COUNT and ISO country codes (GB), which these sets do not know.
"""
KNOWN_ACTIONS = ["ALLOW", "CAPTCHA", "Challenge", "Count"]
KNOWN_SOURCES = ["ALB", "APIGW", "APPSYNC", "CF"]
KNOWN_COUNTRIES = ["US", "UK", "IN"]
COMMON_METHODS = ["GET", "HEAD", "POST"]

FIELDS = ["K_action", "B_action", "K_source", "UNK_source", "G_httpstatus", "B_httpstatus", "K_country", "UNK_country", "common_method", "uncommon_method"]


def status_class(status):
    """'2xx' … '5xx' for a status code (the document writes the sets as classes); None when there is none."""
    s = str(status or "")
    return f"{s[0]}xx" if len(s) == 3 and s.isdigit() else None


def transform(record):
    request = record.get("httpRequest") or {}
    action = record.get("action")
    source = record.get("httpSourceName")
    # The document's log had an `httpStatus`; an AWS WAF record has only `responseCodeSent` (a custom response).
    status = status_class(record.get("httpStatus", record.get("responseCodeSent")))
    country = request.get("country")
    method = request.get("httpMethod")
    return {
        "K_action": 1 if action in KNOWN_ACTIONS else 0,
        "B_action": 1 if action in ["BLOCK"] else 0,
        "K_source": 1 if source in KNOWN_SOURCES else 0,
        "UNK_source": 1 if source not in KNOWN_SOURCES else 0,
        "G_httpstatus": 1 if status in ["2xx", "3xx"] else 0,
        "B_httpstatus": 1 if status in ["4xx", "5xx"] else 0,
        "K_country": 1 if country in KNOWN_COUNTRIES else 0,
        "UNK_country": 1 if country not in KNOWN_COUNTRIES else 0,
        "common_method": 1 if method in COMMON_METHODS else 0,
        "uncommon_method": 1 if method in ["DELETE"] else 0,
    }
