import { paginateGetFindings, type AwsSecurityFindingFilters } from '@aws-sdk/client-securityhub';
import { BaseTap } from './base-tap.ts';
import type { RawFinding } from '../types.ts';

/**
 * Security Hub findings (GetFindings, paginated), in AWS Security Finding Format; use `preset: asff`. Told apart
 * by Id; a finding whose UpdatedAt changes is observed again. The tap's `filters` go to GetFindings as they are:
 * AWS applies them; moto 5.2 ignores them and returns every finding.
 */
export class SecurityHubTap extends BaseTap {
  protected async start(): Promise<void> {}

  protected async read(): Promise<RawFinding[]> {
    const filters = (this.spec.source as { type: 'securityhub'; filters?: Record<string, unknown> }).filters;
    const out: RawFinding[] = [];
    for await (const page of paginateGetFindings({ client: this.ctx.clients.securityhub, pageSize: 100 }, filters ? { Filters: filters as AwsSecurityFindingFilters } : {})) {
      for (const f of page.Findings ?? []) out.push({ id: f.Id!, raw: f, version: `${f.UpdatedAt ?? ''}|${f.Workflow?.Status ?? ''}|${f.RecordState ?? ''}` });
    }
    return out;
  }

  protected async stop(): Promise<void> {}
}
