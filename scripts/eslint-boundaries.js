// A feature (src/features/NAME/) reaches another feature only through that feature's index.ts.
// Platform code and the database layer never reach into a feature at all.
import path from 'node:path';

const FEATURES = `${path.sep}src${path.sep}features${path.sep}`;
const PLATFORM = `${path.sep}src${path.sep}platform${path.sep}`;
const DB = `${path.sep}src${path.sep}db${path.sep}`;

function featureOf(file) {
  const at = file.indexOf(FEATURES);
  if (at < 0) return null;
  const rest = file.slice(at + FEATURES.length).split(path.sep);
  return { name: rest[0], inside: rest.slice(1).join('/') };
}

const featureBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'A feature uses another feature only through its index.ts; platform and db never import features' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = featureOf(file);
    const inPlatform = file.includes(PLATFORM) || file.includes(DB);
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = featureOf(path.resolve(path.dirname(file), source));
      if (!target) return;
      if (inPlatform && !file.endsWith('.test.ts')) {
        context.report({ node: node.source, message: `Platform code must not import a feature (${target.name}): move the shared rule down into platform/` });
        return;
      }
      // Tests may set up data through any feature's files; the code they test may not.
      if (!from || from.name === target.name || file.endsWith('.test.ts')) return;
      if (target.inside !== 'index.ts') {
        context.report({ node: node.source, message: `Use the ${target.name} feature through its index.ts, not ${target.inside}` });
      }
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { 'feature-boundaries': featureBoundaries } };
