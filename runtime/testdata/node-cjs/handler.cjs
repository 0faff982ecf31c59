// A CommonJS Lambda handler: what it sees of its environment, returned (the `returns` tap reads it).
exports.handler = async (event, context) => ({
  records: event.Records ? event.Records.length : 0,
  functionName: context.functionName,
  arn: context.invokedFunctionArn,
  memory: context.memoryLimitInMB,
  env: {
    region: process.env.AWS_REGION,
    endpoint: process.env.AWS_ENDPOINT_URL,
    name: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    greeting: process.env.GREETING,
    leaked: process.env.FIREDRILL_TEST_SECRET ?? null,
  },
});

// The callback style of older Node Lambdas.
exports.legacy = function (event, context, callback) {
  setImmediate(() => callback(null, { style: 'callback', requestId: context.awsRequestId }));
};
