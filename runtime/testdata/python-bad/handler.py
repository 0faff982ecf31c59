"""A handler whose requirements file forgot one of its imports (yaml is not in ../python/requirements.txt)."""

import yaml  # noqa: F401


def lambda_handler(event, context):
    return {"ok": True}
