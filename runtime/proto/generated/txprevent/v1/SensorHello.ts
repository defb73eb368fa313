// Original file: txprevent/v1/ingest.proto


export interface SensorHello {
  /**
   * PROTOCOL_VERSION_1.
   */
  'protocol_version'?: (number);
  /**
   * Stable id of the sensor (defaults to the host name).
   */
  'sensor_id'?: (string);
  /**
   * Random id chosen at sensor start; part of every exchange id.
   */
  'boot_id'?: (string);
  /**
   * SENSOR_TAGS, split on commas ("app.deployment" style values).
   */
  'tags'?: (string)[];
  /**
   * Sensor software version.
   */
  'sensor_version'?: (string);
  'hostname'?: (string);
  /**
   * Capture interface ("enX0", "lo", or "pcap:<file>" when replaying).
   */
  'interface'?: (string);
  /**
   * TARGET_ENVIRONMENT ("ec2", "docker", ...).
   */
  'target_environment'?: (string);
  /**
   * Id of the redaction key used for `redacted:<key id>:...` values.
   */
  'redaction_key_id'?: (string);
}

export interface SensorHello__Output {
  /**
   * PROTOCOL_VERSION_1.
   */
  'protocol_version': (number);
  /**
   * Stable id of the sensor (defaults to the host name).
   */
  'sensor_id': (string);
  /**
   * Random id chosen at sensor start; part of every exchange id.
   */
  'boot_id': (string);
  /**
   * SENSOR_TAGS, split on commas ("app.deployment" style values).
   */
  'tags': (string)[];
  /**
   * Sensor software version.
   */
  'sensor_version': (string);
  'hostname': (string);
  /**
   * Capture interface ("enX0", "lo", or "pcap:<file>" when replaying).
   */
  'interface': (string);
  /**
   * TARGET_ENVIRONMENT ("ec2", "docker", ...).
   */
  'target_environment': (string);
  /**
   * Id of the redaction key used for `redacted:<key id>:...` values.
   */
  'redaction_key_id': (string);
}
