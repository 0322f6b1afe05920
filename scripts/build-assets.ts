/**
 * Builds the stylesheet and scripts into public/build/: GOV.UK Frontend compiled with a system font
 * stack (the GOV.UK Transport font and crown are for GOV.UK services only) plus Gatepost's own styles.
 * Runs before `npm start`, `npm test` and `npm run bench`; takes a couple of seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import * as sass from 'sass';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'public/build');
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

fs.mkdirSync(out, { recursive: true });
const css = sass.compile(path.join(root, 'src/platform/web/styles/app.scss'), {
  loadPaths: [govukDist, path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import', 'global-builtin'] as never,
});
fs.writeFileSync(path.join(out, 'app.css'), css.css);
fs.copyFileSync(path.join(govukDist, 'govuk/govuk-frontend.min.js'), path.join(out, 'govuk-frontend.min.js'));
fs.copyFileSync(path.join(root, 'src/platform/web/scripts/app.js'), path.join(out, 'app.js'));
// Pre-compressed copies, served by @fastify/static to browsers that accept them.
for (const file of ['app.css', 'govuk-frontend.min.js', 'app.js']) {
  const body = fs.readFileSync(path.join(out, file));
  fs.writeFileSync(path.join(out, `${file}.gz`), zlib.gzipSync(body, { level: 9 }));
  fs.writeFileSync(path.join(out, `${file}.br`), zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
console.log(`assets built in ${path.relative(root, out)} (app.css ${Math.round(css.css.length / 1024)} KB)`);
