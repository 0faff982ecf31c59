import { createRng } from '../rng.ts';
import { eksNodes } from './eks-nodes.ts';
import type { EstateIds, Topology } from './types.ts';

/**
 * Plausible AWS identifiers for a topology without any AWS: what `firedrill generate` uses offline and
 * what unit tests use. Same (topology, seed) → same ids. On an emulator or AWS, bootstrap() returns the
 * real ones instead, with the same shape.
 */
export function syntheticEstate(topology: Topology, seed: string | number = 'estate'): EstateIds {
  const rng = createRng(`${seed}/synthetic-estate/${topology.prefix}`);
  const accountId = '123456789012';
  const region = topology.region;
  const id = (prefix: string, n = 17) => `${prefix}-0${rng.hex(n - 1)}`;
  const subnetIds = Object.fromEntries(topology.estate.subnets.map((s) => [s.name, id('subnet')]));
  const subnetCidr = Object.fromEntries(topology.estate.subnets.map((s) => [s.name, s.cidr]));
  const { ecs, rds, waf, lambdas, iamUsers } = topology.estate;
  const webAclId = rng.uuid();
  const ipSetId = rng.uuid();
  return {
    accountId,
    region,
    vpcId: id('vpc'),
    subnetIds,
    securityGroupId: id('sg'),
    networkAclId: id('acl'),
    instances: topology.estate.webInstances.map((inst, i) => {
      const base = (subnetCidr[inst.subnet] ?? '10.0.1.0/24').split('/')[0]!.split('.');
      return {
        name: inst.name,
        instanceId: id('i'),
        eniId: id('eni'),
        privateIp: `${base[0]}.${base[1]}.${base[2]}.${10 + i}`,
        subnetId: subnetIds[inst.subnet]!,
      };
    }),
    ecs: {
      clusterName: ecs.cluster,
      serviceName: ecs.service,
      clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${ecs.cluster}`,
      serviceArn: `arn:aws:ecs:${region}:${accountId}:service/${ecs.cluster}/${ecs.service}`,
      taskDefinitionArn: `arn:aws:ecs:${region}:${accountId}:task-definition/${ecs.taskFamily}:1`,
    },
    rds: {
      dbInstanceId: rds.dbInstanceId,
      endpoint: `${rds.dbInstanceId}.c${rng.hex(11)}.${region}.rds.amazonaws.com`,
      parameterGroup: rds.parameterGroup,
      dbName: rds.dbName,
    },
    waf: {
      webAclName: waf.webAcl,
      webAclId,
      webAclArn: `arn:aws:wafv2:${region}:${accountId}:regional/webacl/${waf.webAcl}/${webAclId}`,
      ipSetName: waf.ipSet,
      ipSetId,
      ipSetArn: `arn:aws:wafv2:${region}:${accountId}:regional/ipset/${waf.ipSet}/${ipSetId}`,
    },
    lambdas: lambdas.map((l) => ({ name: l.name, arn: `arn:aws:lambda:${region}:${accountId}:function:${l.name}` })),
    iamUsers: iamUsers.map((u) => ({
      userName: u,
      userId: `AIDA${rng.hex(16).toUpperCase()}`,
      arn: `arn:aws:iam::${accountId}:user/${u}`,
      accessKeyId: `AKIA${rng.hex(16).toUpperCase()}`,
    })),
    eks: syntheticEks(topology, accountId, subnetCidr, `${seed}`),
    buckets: {
      raw: topology.pipeline.rawBucket,
      curated: topology.pipeline.curatedBucket,
      accessLogs: topology.pipeline.accessLogBucket,
      state: topology.pipeline.stateBucket,
      data: topology.estate.dataBucket,
    },
    queues: {
      rawEvents: `https://sqs.${region}.amazonaws.com/${accountId}/${topology.pipeline.rawEventsQueue}`,
      rawEventsDlq: `https://sqs.${region}.amazonaws.com/${accountId}/${topology.pipeline.rawEventsDlq}`,
      alerts: `https://sqs.${region}.amazonaws.com/${accountId}/${topology.pipeline.alertsQueue}`,
      alertsDlq: `https://sqs.${region}.amazonaws.com/${accountId}/${topology.pipeline.alertsDlq}`,
    },
    alertsTopicArn: `arn:aws:sns:${region}:${accountId}:${topology.pipeline.alertsTopic}`,
    findingsTable: topology.pipeline.findingsTable,
    auditTable: topology.pipeline.auditTable,
    deliveryStreams: { cwl: topology.pipeline.cwlDeliveryStream, waf: topology.pipeline.wafDeliveryStream },
    roles: Object.fromEntries(Object.entries(topology.pipeline.roles).map(([k, v]) => [k, `arn:aws:iam::${accountId}:role/${v}`])),
  };
}

/** EKS ids from their own fork of the seed, so adding them shifted none of the ids drawn above. */
function syntheticEks(topology: Topology, accountId: string, subnetCidr: Record<string, string>, seed: string): EstateIds['eks'] {
  const rng = createRng(`${seed}/synthetic-estate/${topology.prefix}/eks`);
  const e = topology.estate.eks;
  const region = topology.region;
  return {
    clusterName: e.cluster,
    clusterArn: `arn:aws:eks:${region}:${accountId}:cluster/${e.cluster}`,
    endpoint: `https://${rng.hex(32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
    version: e.version,
    nodegroupName: e.nodegroup,
    nodegroupArn: `arn:aws:eks:${region}:${accountId}:nodegroup/${e.cluster}/${e.nodegroup}/${rng.uuid()}`,
    nodes: eksNodes(topology, subnetCidr[e.nodeSubnet] ?? '10.0.11.0/24'),
    roleArns: { cluster: `arn:aws:iam::${accountId}:role/${e.clusterRole}`, node: `arn:aws:iam::${accountId}:role/${e.nodeRole}` },
  };
}
