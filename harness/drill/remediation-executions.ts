import { DescribeExecutionCommand, paginateListExecutions, paginateListStateMachines } from '@aws-sdk/client-sfn';
import type { AwsClients } from '../../core/aws/index.ts';
import { pollUntil } from '../../core/index.ts';
import type { InvocationRecord } from '../../runtime/index.ts';
import { tokenIndex } from '../match/index.ts';

/** One remediation execution as the harness saw it: a state machine execution, or an invocation of a remediation function. */
export interface RemediationExecution {
  arn: string;
  /** The state machine's (or function's) name. */
  playbook: string;
  status: string;
  /** Wall time it ended (epoch ms). */
  stopDate?: number;
  /** Its input, as text: what attributes it to an incident (a finding id, or the entities it names). */
  input: string;
}

/** `name`, `prefix-*` or an ARN from the SUT file, as a test on a state machine's name and ARN. */
function matcher(patterns: readonly string[]): (name: string, arn: string) => boolean {
  const tests = patterns.map((p) => {
    if (p.startsWith('arn:')) return (_n: string, arn: string) => arn === p;
    const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return (name: string) => re.test(name);
  });
  return (name, arn) => tests.some((t) => t(name, arn));
}

/** The state machines of the target the SUT file names under remediation.stateMachines. */
export async function stateMachinesOf(clients: AwsClients, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const wanted = matcher(patterns);
  const out: string[] = [];
  for await (const page of paginateListStateMachines({ client: clients.sfn }, {})) for (const m of page.stateMachines ?? []) if (m.name && m.stateMachineArn && wanted(m.name, m.stateMachineArn)) out.push(m.stateMachineArn);
  return out;
}

/**
 * Every execution of the state machines, once none is RUNNING any more (a deadline, never a fixed sleep), with
 * its input read back so it can be attributed to an incident.
 */
export async function waitForExecutions(clients: AwsClients, stateMachineArns: readonly string[], timeoutMs: number): Promise<RemediationExecution[]> {
  if (stateMachineArns.length === 0) return [];
  const list = async () => {
    const all: RemediationExecution[] = [];
    for (const sm of stateMachineArns) {
      for await (const page of paginateListExecutions({ client: clients.sfn }, { stateMachineArn: sm })) {
        for (const x of page.executions ?? []) all.push({ arn: x.executionArn!, playbook: sm.split(':').pop()!, status: x.status ?? 'UNKNOWN', input: '', ...(x.stopDate ? { stopDate: x.stopDate.getTime() } : {}) });
      }
    }
    return all;
  };
  const finished = await pollUntil(
    async () => {
      const all = await list();
      return all.every((x) => x.status !== 'RUNNING') ? all : undefined;
    },
    { timeoutMs, what: 'remediation executions to finish', intervalMs: 200 },
  );
  for (const x of finished) x.input = (await clients.sfn.send(new DescribeExecutionCommand({ executionArn: x.arn }))).input ?? '';
  return finished;
}

/** Invocations of the SUT's remediation functions (remediation.functions), as executions. */
export function functionExecutions(records: readonly InvocationRecord[], functions: readonly string[]): RemediationExecution[] {
  const names = new Set(functions);
  return records
    .filter((r) => names.has(r.handler))
    .map((r) => ({
      arn: `${r.handler}:${r.requestId}`,
      playbook: r.handler,
      status: r.outcome === 'ok' ? 'SUCCEEDED' : 'FAILED',
      stopDate: r.startedAt + r.durationMs,
      input: JSON.stringify(r.event ?? null),
    }));
}

/** The finding id an execution's input states (`incidentId`, or `finding.findingId`), when it is JSON that states one. */
function statedFindingId(input: string): string | undefined {
  try {
    const v = JSON.parse(input) as { incidentId?: unknown; finding?: { findingId?: unknown } } | null;
    const id = v?.incidentId ?? v?.finding?.findingId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What names a finding in an execution's input: its id, and where it was read from (seeds/000 starts its machine
 * with the key of the anomalies file its findings are rows of).
 */
export function findingNames(findings: readonly { id: string; origin?: string }[]): Set<string> {
  return new Set(findings.flatMap((o) => (o.origin === undefined ? [o.id] : [o.id, o.origin])));
}

/**
 * The executions that remediate an incident, given the ids of the findings that explain it: those whose input
 * states one of those ids (a dispatcher that passes the finding on), else those whose input names one of them
 * anywhere, else those whose input names the incident's planted entities (a playbook given only an address).
 */
export function executionsFor(executions: readonly RemediationExecution[], findingIds: ReadonlySet<string>, namesIncident: (input: string) => boolean): RemediationExecution[] {
  const stated = executions.filter((x) => {
    const id = statedFindingId(x.input);
    return id !== undefined && findingIds.has(id);
  });
  if (stated.length) return stated;
  const lower = [...findingIds].map((id) => id.toLowerCase());
  const mentioned = executions.filter((x) => statedFindingId(x.input) === undefined && lower.some((id) => tokenIndex(x.input.toLowerCase(), id) >= 0));
  if (mentioned.length) return mentioned;
  return executions.filter((x) => statedFindingId(x.input) === undefined && namesIncident(x.input));
}
