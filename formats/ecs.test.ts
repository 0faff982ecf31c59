import { describe, expect, it } from 'vitest';
import { FormatError } from '../core/errors.ts';
import { ecsFormat, ecsServiceMessages, parseEcs, serializeEcs } from './ecs.ts';

const perf = { logGroup: '/aws/ecs/containerinsights/MyCluster/performance', logStream: 'AgentTelemetry-0d7650e6dec34c1a9200f72098071e8f' };
const events = { logGroup: '/aws/events/ecs/default', logStream: 'servicetest' };

// From the CloudWatch user guide, "Container Insights performance log events for Amazon ECS".
const DOC_TASK = `{"Version":"0","Type":"Task","TaskId":"7ac4dfba69214411b4783a3b8189c9ba","TaskDefinitionFamily":"sleep360","TaskDefinitionRevision":"1","ContainerInstanceId":"0d7650e6dec34c1a9200f72098071e8f","EC2InstanceId":"i-0c470579dbcdbd2f3","ClusterName":"MyCluster","AccountID":"637146863587","Region":"us-west-2","AvailabilityZone":"us-west-2b","KnownStatus":"RUNNING","LaunchType":"EC2","PullStartedAt":1623963608201,"PullStoppedAt":1623963610065,"CreatedAt":1623963607094,"StartedAt":1623963610382,"Timestamp":1623963900000,"CpuUtilized":0.0,"CpuReserved":10.0,"MemoryUtilized":0,"MemoryReserved":10,"StorageReadBytes":0,"StorageWriteBytes":0,"NetworkRxBytes":0,"NetworkRxDropped":0,"NetworkRxErrors":0,"NetworkRxPackets":14,"NetworkTxBytes":0,"NetworkTxDropped":0,"NetworkTxErrors":0,"NetworkTxPackets":0,"CloudWatchMetrics":[{"Namespace":"ECS/ContainerInsights","Metrics":[{"Name":"CpuUtilized","Unit":"None"},{"Name":"CpuReserved","Unit":"None"},{"Name":"MemoryUtilized","Unit":"Megabytes"},{"Name":"MemoryReserved","Unit":"Megabytes"}],"Dimensions":[["ClusterName"],["ClusterName","TaskDefinitionFamily"]]}]}`;
const DOC_SERVICE = `{"Version":"0","Type":"Service","ServiceName":"myCIService","ClusterName":"myCICluster","Timestamp":1561586460000,"DesiredTaskCount":2,"RunningTaskCount":2,"PendingTaskCount":0,"DeploymentCount":1,"TaskSetCount":0,"CloudWatchMetrics":[{"Namespace":"ECS/ContainerInsights","Metrics":[{"Name":"DesiredTaskCount","Unit":"Count"},{"Name":"RunningTaskCount","Unit":"Count"},{"Name":"PendingTaskCount","Unit":"Count"},{"Name":"DeploymentCount","Unit":"Count"},{"Name":"TaskSetCount","Unit":"Count"}],"Dimensions":[["ServiceName","ClusterName"]]}]}`;
const DOC_CONTAINER = `{"Version":"0","Type":"Container","ContainerName":"sleep","TaskId":"7ac4dfba69214411b4783a3b8189c9ba","TaskDefinitionFamily":"sleep360","TaskDefinitionRevision":"1","ContainerInstanceId":"0d7650e6dec34c1a9200f72098071e8f","EC2InstanceId":"i-0c470579dbcdbd2f3","ClusterName":"MyCluster","Image":"busybox","ContainerKnownStatus":"RUNNING","Timestamp":1623963900000,"CpuUtilized":0.0,"CpuReserved":10.0,"MemoryUtilized":0,"MemoryReserved":10}`;
// From the ECS developer guide, "Amazon ECS events": service action and task state change examples.
const DOC_STEADY = `{"version":"0","id":"af3c496d-f4a8-65d1-70f4-a69d52e9b584","detail-type":"ECS Service Action","source":"aws.ecs","account":"111122223333","time":"2019-11-19T19:27:22Z","region":"us-west-2","resources":["arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"],"detail":{"eventType":"INFO","eventName":"SERVICE_STEADY_STATE","clusterArn":"arn:aws:ecs:us-west-2:111122223333:cluster/default","createdAt":"2019-11-19T19:27:22.695Z"}}`;
const DOC_TASK_CHANGE = `{"version":"0","id":"3317b2af-7005-947d-b652-f55e762e571a","detail-type":"ECS Task State Change","source":"aws.ecs","account":"111122223333","time":"2020-01-23T17:57:58Z","region":"us-west-2","resources":["arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad"],"detail":{"availabilityZone":"us-west-2c","clusterArn":"arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster","createdAt":"2020-01-23T17:57:34.402Z","launchType":"FARGATE","cpu":"256","memory":"512","desiredStatus":"RUNNING","group":"family:sample-fargate","lastStatus":"RUNNING","connectivity":"CONNECTED","updatedAt":"2020-01-23T17:57:58.103Z","taskArn":"arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad","taskDefinitionArn":"arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1","version":4,"platformVersion":"1.3.0"}}`;

describe('ecs format', () => {
  it('parses the documented Container Insights Task, Service and Container events', () => {
    const t = ecsFormat.normalize(parseEcs(DOC_TASK, perf), perf);
    expect(t.time).toBe(1623963900000);
    expect(t.fields).toMatchObject({ eventType: 'performance', type: 'Task', clusterName: 'MyCluster', taskId: '7ac4dfba69214411b4783a3b8189c9ba', cpuUtilized: 0, memoryUtilized: 0 });
    const s = ecsFormat.normalize(parseEcs(DOC_SERVICE, perf), perf);
    expect(s.fields).toMatchObject({ type: 'Service', serviceName: 'myCIService', clusterName: 'myCICluster', runningTaskCount: 2, desiredTaskCount: 2 });
    expect(s.entities).toEqual({ service: 'myCIService' });
    expect(ecsFormat.normalize(parseEcs(DOC_CONTAINER, perf), perf).fields.type).toBe('Container');
    expect(serializeEcs(parseEcs(DOC_SERVICE, perf))).toBe(DOC_SERVICE);
  });

  it('parses the documented EventBridge ECS events from an events log group', () => {
    const a = ecsFormat.normalize(parseEcs(DOC_STEADY, events), events);
    expect(a.time).toBe(Date.parse('2019-11-19T19:27:22.695Z'));
    expect(a.fields).toMatchObject({ eventType: 'service-event', type: 'ECS Service Action', serviceName: 'servicetest', clusterName: 'default', reason: 'SERVICE_STEADY_STATE' });
    const t = ecsFormat.normalize(parseEcs(DOC_TASK_CHANGE, events), events);
    expect(t.fields).toMatchObject({ type: 'ECS Task State Change', taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad', clusterName: 'FargateCluster', lastStatus: 'RUNNING', serviceName: null });
  });

  it('parses service event messages with their exact wordings', () => {
    const tg = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/checkout/0123456789abcdef';
    const task = '0123456789abcdef0123456789abcdef';
    const msgs = [
      ecsServiceMessages.steadyState('checkout'),
      ecsServiceMessages.startedTasks('checkout', [task]),
      ecsServiceMessages.stoppedTasks('checkout', [task]),
      ecsServiceMessages.failedContainerHealthChecks('checkout', task),
      ecsServiceMessages.unhealthyInTargetGroup('checkout', task, 8000, tg),
    ];
    expect(msgs[0]).toBe('(service checkout) has reached a steady state.');
    expect(msgs[1]).toBe(`(service checkout) has started 1 tasks: (task ${task}).`);
    expect(msgs[2]).toBe(`(service checkout) has stopped 1 running tasks: (task ${task}).`);
    expect(msgs[4]).toBe(`(service checkout) (task ${task}) (port 8000) is unhealthy in (target-group ${tg}) due to (reason Health checks failed).`);
    for (const message of msgs) {
      const line = JSON.stringify({ id: '5f6a7b8c-0000-4000-8000-000000000000', createdAt: '2026-05-01T12:00:00.123Z', message });
      const r = parseEcs(line, { logGroup: '/aws/events/ecs/firedrill-cluster' });
      expect(serializeEcs(r)).toBe(line);
      const n = ecsFormat.normalize(r, { logGroup: '/aws/events/ecs/firedrill-cluster' });
      expect(n.fields).toMatchObject({ serviceName: 'checkout', clusterName: 'firedrill-cluster', reason: message });
      expect(n.time).toBe(Date.parse('2026-05-01T12:00:00.123Z'));
    }
  });

  it('reads the service event messages as the ECS developer guide words them', () => {
    // "Amazon ECS service unhealthy event messages" (EC2, EC2 with taskSet, Fargate) and "Service event messages".
    const task = 'c13b4cb40f1f4fe4a2971f76ae5a47ad';
    const docs: [string, string | null][] = [
      [`(service servicetest) (task ${task}) (instance i-0c470579dbcdbd2f3) (port 32768) is unhealthy in (target-group my-targets) due to (reason Health checks failed)`, task],
      [`(service servicetest, taskSet ecs-svc/1234567890123456789) (task ${task}) (instance i-0c470579dbcdbd2f3) (port 32768) is unhealthy in (target-group my-targets) due to (reason Health checks failed)`, task],
      [`(service servicetest) (task ${task}) (port 80) is unhealthy in (target-group my-targets) due to (reason Request timed out)`, task],
      ['service (servicetest) has reached a steady state.', null],
      ['(service servicetest) was unable to place a task because no container instance met all of its requirements.', null],
      ['(service servicetest) is unable to consistently start tasks successfully.', null],
    ];
    for (const [message, taskId] of docs) {
      const origin = { logGroup: '/aws/events/ecs/default' };
      const n = ecsFormat.normalize(parseEcs(JSON.stringify({ id: 'f3a0c2d1-1111-4222-8333-944445555666', createdAt: '2019-11-19T19:27:22.695Z', message }), origin), origin);
      expect(n.fields).toMatchObject({ serviceName: 'servicetest', taskId, reason: message, clusterName: 'default' });
    }
  });

  it('dispatches on the content, whatever the log group is named, and refuses lines of no ECS shape', () => {
    // A declared estate names its groups freely: the shape is in the line, not in the group's name.
    expect(parseEcs(DOC_STEADY, perf).kind).toBe('eventbridge');
    expect(parseEcs(DOC_SERVICE, events).kind).toBe('performance');
    expect(parseEcs(DOC_SERVICE, { logGroup: '/ecs/checkout' }).kind).toBe('performance');
    expect(parseEcs(DOC_SERVICE).kind).toBe('performance');
    expect(parseEcs(DOC_STEADY).kind).toBe('eventbridge');
    expect(() => parseEcs('not json')).toThrow(FormatError);
    expect(() => parseEcs('{"hello": "world"}')).toThrow(/neither an EventBridge ECS event nor a ServiceEvent/);
  });

  it('reads service event messages written as text, with or without a leading stamp', () => {
    const at = Date.UTC(2019, 10, 19, 19, 30);
    const bare = parseEcs('(service servicetest) has reached a steady state.', { timestamp: at });
    expect(bare).toMatchObject({ kind: 'service-event-text', time: null });
    expect(ecsFormat.normalize(bare, { ...events, timestamp: at })).toMatchObject({ time: at, entities: { service: 'servicetest' }, fields: { type: 'service-event-message', serviceName: 'servicetest', clusterName: 'default' } });
    const stamped = '2019-11-19 19:27:22 +0000 (service servicetest) (task 7ac4dfba69214411b4783a3b8189c9ba) failed container health checks.';
    const r = ecsFormat.normalize(parseEcs(stamped), events);
    expect(r.time).toBe(Date.UTC(2019, 10, 19, 19, 27, 22));
    expect(r.fields).toMatchObject({ serviceName: 'servicetest', taskId: '7ac4dfba69214411b4783a3b8189c9ba', reason: '(service servicetest) (task 7ac4dfba69214411b4783a3b8189c9ba) failed container health checks.' });
    expect(serializeEcs(parseEcs(stamped))).toBe(stamped);
    expect(() => parseEcs('INFO: Task stopped due to failed ELB health check')).toThrow(FormatError);
  });
});
