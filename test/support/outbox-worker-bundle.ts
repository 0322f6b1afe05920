import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * test/support/outbox-worker-process.ts as one JavaScript file (the packages it imports left as
 * they are), for tests that start it again and again: under tsx each start transformed and loaded
 * the app's modules anew, five seconds and more on a busy machine; the bundle starts in about one.
 * Run it with `node <file> <arguments>`; `dispose()` removes it.
 */
export async function bundleOutboxWorker(): Promise<{ file: string; dispose(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-worker-'));
  // The packages resolve from beside the bundle, as they would from the project.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = path.join(dir, 'outbox-worker-process.mjs');
  await build({
    entryPoints: [path.join(root, 'test/support/outbox-worker-process.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'warning',
  });
  return { file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
