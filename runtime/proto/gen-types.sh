#!/usr/bin/env bash
# Regenerates the TypeScript types in runtime/proto/generated from the .proto files.
# The options must match PROTO_LOADER_OPTIONS in runtime/proto/index.ts.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf generated
npx proto-loader-gen-types \
  txprevent/v1/common.proto txprevent/v1/ingest.proto txprevent/v1/scan.proto grpc/health/v1/health.proto \
  --keepCase --longs=Number --enums=String --defaults --oneofs \
  --includeComments --grpcLib=@grpc/grpc-js --outDir=generated --includeDirs=.
# common.proto has no services; its package type is unused and fails noUnusedLocals.
rm generated/common.ts
# The descriptor lets the services load the contract without .proto files on disk (npm package,
# esbuild bundles).
node -e '
const protobuf = require("protobufjs");
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => require("path").join(process.cwd(), target);
root.loadSync(["txprevent/v1/ingest.proto", "txprevent/v1/scan.proto", "grpc/health/v1/health.proto"], { keepCase: true });
require("fs").writeFileSync("generated/descriptor.json", JSON.stringify(root.toJSON({ keepComments: false }), null, 1) + "\n");
'
