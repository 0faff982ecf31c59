import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { ConfigError, errorMessage } from '../../../core/index.ts';
import { BaseTap } from './base-tap.ts';
import type { RawFinding } from '../types.ts';

/**
 * Items of a table the SUT writes findings to: a paginated Scan per poll, items unmarshalled to plain JSON and
 * told apart by their key (an item seen before is skipped; one whose content changed — an upsert — is observed
 * again with its new content and its first sighting's time).
 */
export class DynamoDbTap extends BaseTap {
  private keys: string[] = [];

  private get table() {
    return (this.spec.source as { type: 'dynamodb'; table: string }).table;
  }

  protected async start(): Promise<void> {
    try {
      const t = await this.ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: this.table }));
      this.keys = (t.Table?.KeySchema ?? []).sort((a) => (a.KeyType === 'HASH' ? -1 : 1)).map((k) => k.AttributeName!);
    } catch (err) {
      throw new ConfigError(`tap ${this.spec.name}: table ${this.table} not found`, { expected: 'an existing DynamoDB table', seen: errorMessage(err), fix: 'check the name in the SUT file, or declare it under resources.tables' });
    }
  }

  protected async read(): Promise<RawFinding[]> {
    const out: RawFinding[] = [];
    for await (const page of paginateScan({ client: this.ctx.clients.doc }, { TableName: this.table, ConsistentRead: true })) {
      for (const item of page.Items ?? []) out.push({ id: this.keys.map((k) => String(item[k])).join('|'), raw: item });
    }
    return out;
  }

  protected async stop(): Promise<void> {}
}
