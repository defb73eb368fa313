import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { readmeConstructExample } from '../readme-example';

const ROOT = join(__dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  exports: Record<string, unknown>;
  files: string[];
};

/** The folders whose code the package ships (compiled, or as the bin shims). */
const SHIPPED = ['lib', 'runtime', 'sensor', 'bin'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier a file names as a string literal: imports, exports, require, require.resolve, import(). */
function specifiers(file: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression.getText(source);
      if (callee === 'require' || callee === 'require.resolve' || node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('what the package ships', () => {
  const files = SHIPPED.flatMap((dir) => sourceFiles(join(ROOT, dir)));

  it('imports at run time only declared dependencies, peer dependencies and Node builtins', () => {
    const declared = new Set([...Object.keys(rootPackage.dependencies), ...Object.keys(rootPackage.peerDependencies)]);
    const builtins = new Set(builtinModules);
    const undeclared = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtins.has(s))
        .filter((s) => !declared.has(packageName(s)))
        .map((s) => `${relative(ROOT, file)}: ${s}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('never imports from test/ or tools/, which are not packed', () => {
    const reaching = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(ROOT, join(file, '..', s)))
        .filter((target) => /^(test|tools)\//.test(target))
        .map((target) => `${relative(ROOT, file)} -> ${target}`),
    );
    expect(reaching).toEqual([]);
  });

  it('declares aws-cdk-lib and constructs as peer dependencies, and the entry points in an exports map', () => {
    expect(rootPackage.peerDependencies).toEqual({ 'aws-cdk-lib': expect.any(String), constructs: expect.any(String) });
    expect(rootPackage.dependencies['aws-cdk-lib']).toBeUndefined();
    expect(Object.keys(rootPackage.exports).sort()).toEqual(['.', './deploy-policy', './package.json']);
    expect(rootPackage.files.filter((f) => /^(tools|test)\b/.test(f))).toEqual([]);
  });
});

/**
 * What a consumer does: `npm pack` the project (prepack builds dist/ and the service bundles),
 * install the tarball into a fresh CDK app, and synthesise the README's construct example.
 * Nothing reaches AWS. The package's own dependencies are installed from the tarball's manifest
 * (npm's cache first); the peer dependencies aws-cdk-lib and constructs are linked from this
 * checkout's node_modules instead, because installing aws-cdk-lib (tens of MB, thousands of files)
 * into every test run would take most of its time and prove nothing the link does not: the
 * consumer still resolves them from its own node_modules.
 */
describe('the packed package in a fresh CDK app', () => {
  const work = mkdtempSync(join(tmpdir(), 'txp-pack-'));
  const app = join(work, 'consumer');
  let tarball = '';

  beforeAll(() => {
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    tarball = join(work, out.trim().split('\n').pop()!);
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { 'tx-prevent-aws': `file:${tarball}` } }));
    // --legacy-peer-deps: npm leaves the peers to us; they are linked after the install, which would prune them.
    execFileSync('npm', ['install', '--prefer-offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: app,
      stdio: 'pipe',
    });
    for (const peer of ['aws-cdk-lib', 'constructs']) symlinkSync(join(ROOT, 'node_modules', peer), join(app, 'node_modules', peer), 'dir');
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is named after the version the README installs, and holds compiled JavaScript, types and bundles, no sources, tests or dev tools', () => {
    expect(tarball.endsWith(`tx-prevent-aws-${rootPackage.version}.tgz`)).toBe(true);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/lib/index.js',
        'package/dist/lib/index.d.ts',
        'package/dist/lib/deploy-policy/index.js',
        'package/package.json',
        'package/README.md',
        'package/CHANGELOG.md',
        'package/docs/construct.md',
        // Prebuilt service bundles: consumers synthesise without esbuild.
        'package/dist/bundles/analyzer/tx-prevent-analyzer.js',
        'package/dist/bundles/analyzer/.bundle-hash',
        'package/dist/bundles/sts/tx-prevent-sts.js',
        'package/dist/bundles/sensor/tx-prevent-sensor.js',
      ]),
    );
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /(^package\/(test|tools)\/|\.test\.|cdk\.json$|cdk-app)/.test(f))).toEqual([]);
  });

  it("synthesises the README's construct example in a stack of the consumer's app", () => {
    const { outputText } = ts.transpileModule(readmeConstructExample(), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(
      join(app, 'app.js'),
      `const { App, Stack } = require('aws-cdk-lib');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'PlatformStack', { env: { account: '111111111111', region: 'us-east-1' } });
(function example(stack) {
${outputText}
})(stack);
console.log(stack.node.findChild('TxPrevent').analyzerUrl);
app.synth();
`,
    );
    const printed = execFileSync('node', ['app.js'], { cwd: app, encoding: 'utf8' });
    expect(printed.trim()).toBe('https://tx-analyzer.example.com:50051');
    const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'PlatformStack.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::ElasticLoadBalancingV2::LoadBalancer',
        'AWS::AutoScaling::AutoScalingGroup',
        'AWS::Logs::LogGroup',
        'AWS::EC2::SecurityGroup',
      ]),
    );
    // The example imports its VPC: none is created.
    expect(types.filter((t) => t === 'AWS::EC2::VPC')).toEqual([]);
  });

  it('exposes its two entry points and nothing else', () => {
    const probe = (specifier: string) =>
      execFileSync(
        'node',
        ['-e', `try { console.log(Object.keys(require(${JSON.stringify(specifier)})).sort().join(',')) } catch (e) { console.log(e.code) }`],
        { cwd: app, encoding: 'utf8' },
      ).trim();
    expect(probe('tx-prevent-aws').split(',')).toEqual(expect.arrayContaining(['TxPreventControlPlane', 'ThreatXPreventStack', 'NodeServiceRuntime']));
    expect(probe('tx-prevent-aws').split(',')).not.toContain('buildBundle');
    expect(probe('tx-prevent-aws/deploy-policy').split(',')).toEqual(expect.arrayContaining(['deployPolicyForTemplate', 'writeDeployPolicyFiles']));
    expect(probe('tx-prevent-aws/dist/lib/service-runtime')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('runs its CLI from the installed bin', () => {
    const help = execFileSync(join(app, 'node_modules', '.bin', 'tx-prevent'), ['deploy-policy', '--help'], { cwd: app, encoding: 'utf8' });
    expect(help).toContain('Usage: tx-prevent deploy-policy');
  });
});
