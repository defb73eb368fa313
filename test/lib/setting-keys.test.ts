import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TxPreventControlPlane, type SensorHostProps, type ServiceSettings, type TxPreventControlPlaneProps } from '@/lib';
import { SENSOR_ENV_NAMES } from '@/sensor/config';
import { analyzerMetric } from '@/lib/control-plane/monitoring';
import { readSettingKeys, unreadSettingKeys } from '@/lib/control-plane/setting-keys';
import { ANALYZER_SETTINGS, ANALYZER_STACK_SETTING_KEYS, type AnalyzerStackSettingKey } from '@/runtime/analyzer/settings';
import type { SettingDefinitions } from '@/runtime/config';
import { STS_SETTINGS, STS_STACK_SETTING_KEYS } from '@/runtime/sts/settings';
import { baseProps, ENV } from './fixtures';

/*
 * The keys that tie the constructs to the services are defined once, in the services' settings
 * tables, and the construct is typed with them. The `@ts-expect-error` lines below are the
 * type-level half of this test: `npm test` runs `tsc` first, and an expected error that stops
 * happening (a key the construct writes but no service reads now type-checks) fails it.
 */
describe('setting keys shared by the construct and the services', () => {
  it('rejects, at the type level, keys no service reads and stack keys left out', () => {
    const unread: TxPreventControlPlaneProps = {
      ...baseProps(new Stack()),
      // @ts-expect-error -- nothing reads accept-compressed
      analyzerSettings: { 'accept-compressed': 'true' },
    };
    // @ts-expect-error -- tenant-id is an analyzer key, not an STS one
    const analyzerKeyForSts: ServiceSettings['sts'] = { 'tenant-id': 'acme' };
    // @ts-expect-error -- the construct must write sts-url for the analyzer
    const missingStackKey: Record<AnalyzerStackSettingKey, string> = { 'tenant-id': 'a', 'gateway-hostname': 'g', 'log-level': 'info' };
    // @ts-expect-error -- the analyzer writes no such metric
    const noSuchMetric = () => analyzerMetric('exchanges_total', 'Sum');
    // @ts-expect-error -- the sensor reads PORTS, not PORT
    const wrongSensorName: SensorHostProps['environment'] = { PORT: '80', PORTS: '80' };

    // The same mistakes from JavaScript (no type check) still fail, at construction.
    expect(unreadSettingKeys('analyzer', Object.keys(unread.analyzerSettings ?? {}))).toEqual(['accept-compressed']);
    expect(unreadSettingKeys('sts', Object.keys(analyzerKeyForSts))).toEqual(['tenant-id']);
    expect(ANALYZER_STACK_SETTING_KEYS.filter((key) => !(key in missingStackKey))).toEqual(['sts-url']);
    expect(typeof noSuchMetric).toBe('function');
    expect(Object.keys(wrongSensorName ?? {}).filter((name) => !SENSOR_ENV_NAMES.has(name))).toEqual(['PORT']);
  });

  it('knows exactly the SSM keys of the settings tables, plus the boot script key', () => {
    const ssm = (table: SettingDefinitions) =>
      Object.values(table)
        .flatMap((d) => (d.ssm ? [d.ssm] : []))
        .concat('image-tag')
        .sort();
    expect(readSettingKeys('analyzer')).toEqual(ssm(ANALYZER_SETTINGS));
    expect(readSettingKeys('sts')).toEqual(ssm(STS_SETTINGS));
    expect(readSettingKeys('analyzer')).toEqual(expect.arrayContaining([...ANALYZER_STACK_SETTING_KEYS]));
    expect(readSettingKeys('sts')).toEqual(expect.arrayContaining([...STS_STACK_SETTING_KEYS]));
  });

  it('writes, in the construct, only keys its services read and every key they need from the stack', () => {
    const stack = new Stack(new App(), 'Keys', { env: ENV });
    new TxPreventControlPlane(stack, 'TxPrevent', {
      ...baseProps(stack),
      analyzerSettings: { 'detection-level': '2', 'webhook-url': 'https://hooks.example.com/tx' },
      stsSettings: { 'rate-limit-rps': '5' },
    });
    // Names are `/<prefix>/<service>/<key>`, the prefix a token (the stack name) joined in.
    const names = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter')).map((r) => JSON.stringify(r.Properties.Name));
    const keysOf = (service: string) => names.flatMap((n) => n.match(new RegExp(`/${service}/([a-z0-9-]+)"`))?.slice(1) ?? []);
    expect(keysOf('analyzer').length + keysOf('sts').length).toBe(names.length);
    expect(unreadSettingKeys('analyzer', keysOf('analyzer'))).toEqual([]);
    expect(unreadSettingKeys('sts', keysOf('sts'))).toEqual([]);
    expect(keysOf('analyzer')).toEqual(expect.arrayContaining([...ANALYZER_STACK_SETTING_KEYS, 'detection-level', 'webhook-url', 'fleet-table']));
    expect(keysOf('sts')).toEqual(expect.arrayContaining([...STS_STACK_SETTING_KEYS, 'rate-limit-rps']));
  });
});
