export { ecsBackground } from './background.ts';
export { ecsTaskRestartsLink } from './task-restarts.ts';
export { serviceModel, appStreamOf, telemetryStreamOf, type ServiceModel, type ServiceTask } from './service-model.ts';
