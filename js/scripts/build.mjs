// Build worldnb/widgets/static/embed-bundle.js:
//   1. esbuild bundles src/embed.js (manager + base + controls + CSS) into an IIFE;
//   2. jupyter-threejs's own production bundle (an AMD module, three.js inside) is
//      appended inside a one-call `define` shim that hands it @jupyter-widgets/base;
//   3. a last line renders the widgets once the page has loaded.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

// The committed bundle by default; another path (tests/widgets/test_bundle.py rebuilds it
// there and compares hashes) as the first argument.
const out = process.argv[2] || '../worldnb/widgets/static/embed-bundle.js';
const result = await build({
  entryPoints: ['src/embed.js'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  write: false,
  loader: { '.css': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.eot': 'empty', '.svg': 'empty' },
  define: { 'process.env.NODE_ENV': '"production"' },
});
const manager = result.outputFiles[0].text;
const css = await build({
  entryPoints: ['src/embed.css'],
  bundle: true,
  minify: true,
  write: false,
  loader: { '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.eot': 'empty', '.svg': 'dataurl', '.png': 'dataurl' },
});
const cssText = 'window.__worldnb_embed_css=' + JSON.stringify(css.outputFiles[0].text) + ';\n';
const threejs = readFileSync('node_modules/jupyter-threejs/dist/index.js', 'utf8');
const threejsVersion = JSON.parse(readFileSync('node_modules/jupyter-threejs/package.json', 'utf8')).version;
const shim =
  '(function(){var E=window.__worldnb_embed;' +
  'function define(name,deps,factory){E.modules[name]=factory({uri:document.baseURI},E.base);}\n' +
  threejs.replace(/^\/\*![^]*?\*\/\s*/, '') +
  '\n})();\n';
const boot =
  "(function(){var go=function(){window.__worldnb_embed.renderWidgets().catch(function(e){console.error('worldnb embed:',e);});};" +
  "if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',go);}else{go();}})();\n";
const header =
  `/* worldnb widget embed bundle: @jupyter-widgets/base-manager, base, controls (BSD-3-Clause), ` +
  `jupyter-threejs ${threejsVersion} with three.js (BSD-3-Clause / MIT). Built by js/scripts/build.mjs. */\n`;
mkdirSync(dirname(out), { recursive: true });
const all = header + cssText + manager + '\n' + shim + boot;
writeFileSync(out, all);
console.log(`wrote ${out}: ${(all.length / 1e6).toFixed(2)} MB`);
