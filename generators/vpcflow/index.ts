export { vpcFlowBackground, vpcFlowBackgroundLines, BackgroundFlows } from './background.ts';
export { vpcPortScan } from './port-scan.ts';
export { vpcSshBruteforce } from './ssh-bruteforce.ts';
export { vpcExfiltration } from './exfiltration.ts';
export { vpcDdos } from './ddos.ts';
export { vpcContext, flowOptions, FlowWriter, type Eni, type VpcContext, type FlowOptions } from './model.ts';
