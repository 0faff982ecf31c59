import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FiredrillError, errorMessage } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';

/**
 * Where the deployed pipeline finds the estate's identifiers (instance ids, the WAF IP set, the NACL …) that the
 * dispatcher resolves playbook inputs from: one JSON object in the state bucket. On AWS Terraform writes it from the
 * resources it created; on an emulator the harness writes what bootstrap returned. A Lambda environment (4 KB in
 * all) is too small for it.
 */
export const ESTATE_IDS_KEY = 'estate/ids.json';

export class EstateIdsError extends FiredrillError {}

export async function writeEstateIds(s3: Pick<S3Client, 'send'>, topology: Topology, ids: EstateIds): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: topology.pipeline.stateBucket, Key: ESTATE_IDS_KEY, Body: JSON.stringify(ids), ContentType: 'application/json' }));
}

export async function readEstateIds(s3: Pick<S3Client, 'send'>, topology: Topology): Promise<EstateIds> {
  const where = `s3://${topology.pipeline.stateBucket}/${ESTATE_IDS_KEY}`;
  let text: string;
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: topology.pipeline.stateBucket, Key: ESTATE_IDS_KEY }));
    text = (await r.Body?.transformToString('utf8')) ?? '';
  } catch (err) {
    throw new EstateIdsError(`cannot read the estate ids at ${where}`, {
      expected: 'the JSON object infra/ (terraform apply) or the harness writes there',
      seen: errorMessage(err),
      fix: 'apply the Terraform of `npm run infra:synth` (it writes the object), or check the function role may s3:GetObject it',
      cause: err,
    });
  }
  try {
    const ids = JSON.parse(text) as EstateIds;
    if (typeof ids.accountId !== 'string' || typeof ids.auditTable !== 'string') throw new Error('accountId or auditTable missing');
    return ids;
  } catch (err) {
    throw new EstateIdsError(`the estate ids at ${where} are not readable`, { expected: 'a JSON EstateIds object', seen: errorMessage(err), fix: 'apply the Terraform again to rewrite it', cause: err });
  }
}
