def lambda_handler(event, context):
    return {"seen": event.get("time")}
