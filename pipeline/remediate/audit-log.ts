import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_KEYS } from './playbooks/frame.ts';

/** One audit record. Every decision the dispatcher takes, and every execution's result, is one of these. */
export interface AuditRecord {
  pk: string;
  sk: string;
  record: 'dispatch' | 'decision' | 'execution-result' | 'breaker' | 'explained-by' | 'node-remediation';
  at: string;
  [field: string]: unknown;
}

/** Keys of the audit table, in one place: `incident#<findingId>` holds the dispatch decision and the results. */
export const auditKeys = {
  incident: (findingId: string) => `incident#${findingId}`,
  dispatch: 'dispatch',
  resource: (key: string) => `resource#${key}`,
  explained: (findingId: string) => `explained#${findingId}`,
  node: (node: string) => `node#${node}`,
} as const;

/** Records live 30 days (the table's TTL attribute, when enabled); the breaker only looks back an hour. */
const TTL_SECONDS = 30 * 24 * 3600;

/** The remediation audit table (DynamoDB, keys pk/sk) behind the dispatcher, the breaker and the playbooks. */
export class AuditLog {
  constructor(
    private readonly doc: Pick<DynamoDBDocumentClient, 'send'>,
    readonly table: string,
  ) {}

  private withTtl(rec: AuditRecord): AuditRecord {
    return { ...rec, expiresAt: Math.floor(Date.parse(rec.at) / 1000) + TTL_SECONDS };
  }

  async put(rec: AuditRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: this.withTtl(rec) }));
  }

  /** Writes only when no record has these keys; false when one exists (the idempotency check). */
  async putIfAbsent(rec: AuditRecord): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: this.withTtl(rec), ConditionExpression: `attribute_not_exists(${AUDIT_KEYS.partition})` }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async get(pk: string, sk: string): Promise<AuditRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { [AUDIT_KEYS.partition]: pk, [AUDIT_KEYS.sort]: sk }, ConsistentRead: true }));
    return r.Item as AuditRecord | undefined;
  }

  /** All records of a partition, optionally with sort keys in [from, to]. */
  async query(pk: string, range?: { from: string; to: string }): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
          ExpressionAttributeNames: range ? { '#pk': AUDIT_KEYS.partition, '#sk': AUDIT_KEYS.sort } : { '#pk': AUDIT_KEYS.partition },
          ExpressionAttributeValues: range ? { ':pk': pk, ':from': range.from, ':to': range.to } : { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...((r.Items ?? []) as AuditRecord[]));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Everything recorded about one incident: the dispatch decision and the executions' results. */
  incident(findingId: string): Promise<AuditRecord[]> {
    return this.query(auditKeys.incident(findingId));
  }
}
