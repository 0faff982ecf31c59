export { ec2Background } from './background.ts';
export { ec2SshBruteForce } from './ssh-bruteforce.ts';
export { ec2DiskFull } from './disk-full.ts';
export { ec2Oom } from './oom.ts';
export { ec2Hosts, ec2LogGroup, type Ec2Host } from './host-model.ts';
