import { Template } from 'aws-cdk-lib/assertions';
import { ThreatXPreventStack } from '@/lib';
import { testApp } from './synth-checks';

/**
 * Logical ids are a contract (changing one replaces a resource in users' stacks), so the whole
 * template is pinned. Asset hashes change with every build and are masked.
 */
function masked(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

describe('ThreatXPrevent template snapshot', () => {
  it('matches the committed snapshot', () => {
    const app = testApp();
    const template = Template.fromStack(new ThreatXPreventStack(app)).toJSON();
    app.cleanup();
    expect(masked(template)).toMatchSnapshot();
  });

  it('keeps the logical ids users depend on', () => {
    const app = testApp();
    const ids = Object.keys(Template.fromStack(new ThreatXPreventStack(app)).toJSON().Resources);
    app.cleanup();
    expect(ids).toEqual(
      expect.arrayContaining([
        'ControlPlaneLoadBalancer0EEAD767',
        'ControlPlaneAnalyzerAutoScalingGroupASG21FCBC8F',
        'ControlPlaneScanTemplateServiceAutoScalingGroupASGECBE22BA',
        'ControlPlaneLogsSensor5569539A',
        'ControlPlaneLogsAnalyzerF412C77D',
        'ControlPlaneLogsSts72FAD9B2',
        'ControlPlaneConfigurationApiKey24B2BCE8',
        'ControlPlaneEncryptionKey24D9C094',
      ]),
    );
  });
});
