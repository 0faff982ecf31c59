export async function handler(event) {
  return { batchItemFailures: [], records: event.Records.length };
}
