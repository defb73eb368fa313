import { AssetHashType, AssetStaging, Aws, FileAssetPackaging, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { serviceBundle, type BundleName } from './bundles';

/**
 * A service bundle as a zipped file asset in the bootstrap bucket. Staged and registered with the
 * stack's synthesizer directly rather than through `aws-s3-assets.Asset`: the only things needed
 * are the object's ARN and URL, and the Asset construct's imported bucket pulls the S3 and
 * region-info modules into every synth (a quarter of a second).
 */
export class BundleAsset extends Construct {
  /** ARN of the bundle's object, for a grant of exactly `s3:GetObject` on it. */
  readonly objectArn: string;
  /** `s3://bucket/key` of the zipped bundle. */
  readonly s3ObjectUrl: string;

  constructor(scope: Construct, id: string, name: BundleName) {
    super(scope, id);
    const { dir, hash } = serviceBundle(name);
    const stack = Stack.of(this);
    const staging = new AssetStaging(this, 'Stage', { sourcePath: dir, assetHash: hash, assetHashType: AssetHashType.CUSTOM });
    const location = stack.synthesizer.addFileAsset({
      fileName: staging.relativeStagedPath(stack),
      packaging: FileAssetPackaging.ZIP_DIRECTORY,
      sourceHash: staging.assetHash,
    });
    this.objectArn = `arn:${Aws.PARTITION}:s3:::${location.bucketName}/${location.objectKey}`;
    this.s3ObjectUrl = location.s3ObjectUrl;
  }
}
