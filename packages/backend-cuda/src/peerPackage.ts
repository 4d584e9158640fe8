import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The two TensorFlow-on-Node packages the plugins accept. */
export type TfjsNodePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

/**
 * Where an installed tfjs-node(-gpu) package lives and where its install script should have put the native parts.
 * @public
 */
export interface PeerInstall {
  /** The package name. */
  readonly packageName: string;
  /** Its version, from its package.json. */
  readonly version: string;
  /** Its directory. */
  readonly dir: string;
  /** Its CommonJS entry point (what a dynamic import loads). */
  readonly entry: string;
  /** Where node-pre-gyp looks for the addon: `lib/napi-v<N>/tfjs_binding.node`. */
  readonly bindingPath: string;
  /** Whether that file exists. */
  readonly bindingExists: boolean;
  /** The libtensorflow shared library the install script unpacked into `deps/lib`, if any. */
  readonly libtensorflow: string | undefined;
}

interface BinaryConfig {
  module_name?: string;
  module_path?: string;
  napi_versions?: number[];
}

/**
 * Finds an installed tfjs-node(-gpu) the way Node would resolve it from `resolveFrom` (a directory), without
 * loading it. Returns `undefined` when it is not installed.
 */
export function findPeer(packageName: TfjsNodePackage, resolveFrom: string): PeerInstall | undefined {
  let pkgJsonPath: string;
  try {
    pkgJsonPath = createRequire(join(resolveFrom, 'noop.js')).resolve(`${packageName}/package.json`);
  } catch {
    return undefined;
  }
  const dir = dirname(pkgJsonPath);
  const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { version?: string; main?: string; binary?: BinaryConfig };
  const bindingPath = join(dir, bindingRelativePath(pkg.binary ?? {}));
  return {
    packageName,
    version: pkg.version ?? 'unknown',
    dir,
    entry: join(dir, pkg.main ?? 'dist/index.js'),
    bindingPath,
    bindingExists: existsSync(bindingPath),
    libtensorflow: findLibtensorflow(join(dir, 'deps', 'lib')),
  };
}

/**
 * node-pre-gyp's rule: the addon sits in `module_path` with `{napi_build_version}` replaced by the highest N-API
 * version the package was built for that this Node supports (8 for tfjs-node 4.22 on Node 20).
 */
function bindingRelativePath(binary: BinaryConfig): string {
  const modulePath = binary.module_path ?? './lib/napi-v{napi_build_version}';
  const nodeNapi = Number(process.versions.napi ?? 0);
  const built = (binary.napi_versions ?? []).filter((v) => v <= nodeNapi);
  const napi = built.length ? Math.max(...built) : nodeNapi;
  return join(modulePath.replace('{napi_build_version}', String(napi)), `${binary.module_name ?? 'tfjs_binding'}.node`);
}

function findLibtensorflow(libDir: string): string | undefined {
  if (!existsSync(libDir)) return undefined;
  const name = readdirSync(libDir).find((f) => /^libtensorflow\.so(\.\d+)*$/.test(f) || f === 'tensorflow.dll' || /^libtensorflow(\.\d+)*\.dylib$/.test(f));
  return name ? join(libDir, name) : undefined;
}
