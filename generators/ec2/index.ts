export { ec2Background } from './background.ts';
export { ec2SshBruteForce, ec2DiskFull, ec2Oom } from './incidents.ts';
export { ec2Hosts, ec2LogGroup, type Ec2Host } from './host-model.ts';
