"""LocalStack plugins firedrill installs into LocalStack's own virtual environment.

LocalStack serves DynamoDB by running DynamoDB Local (a Java program) that it downloads on first use, from
hosts a machine with registry-only network access cannot reach; DynamoDB Local is also under AWS's own licence
terms rather than an open-source licence. This provider serves the DynamoDB API from moto's DynamoDB backend
instead, which LocalStack already bundles (moto-ext) and uses for several of its other services. Everything
else (routing, request parsing, Step Functions `aws-sdk:dynamodb:*` tasks calling back in) stays LocalStack's.

Selected with PROVIDER_OVERRIDE_DYNAMODB=firedrill_moto; without it LocalStack's own provider is used.
"""

from localstack.services.plugins import aws_provider


@aws_provider(api="dynamodb", name="firedrill_moto")
def dynamodb_moto():
    from localstack.aws.api.dynamodb import DynamodbApi
    from localstack.services.moto import MotoFallbackDispatcher
    from localstack.services.plugins import Service, ServiceLifecycleHook

    class DynamodbMotoProvider(DynamodbApi, ServiceLifecycleHook):
        """No operation of its own: every DynamoDB call falls through to moto."""

    return Service.for_provider(DynamodbMotoProvider(), dispatch_table_factory=MotoFallbackDispatcher)
