/** "/<stack>/<service>/", the parameter path a service reads. */
export function serviceSsmPath(stackName: string, service: string): string {
  return `/${stackName}/${service}/`;
}
