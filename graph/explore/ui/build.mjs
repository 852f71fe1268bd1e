// Builds dist/, the explorer page graphd serve embeds at /explore: the page,
// its stylesheet and one script holding Cytoscape.js and the fCoSE layout,
// so that the page works without a network. Run ./build.sh.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

await esbuild.build({
  entryPoints: ['src/explore.js'],
  outfile: 'dist/explore.js',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

copyFileSync('src/index.html', 'dist/index.html');
copyFileSync('src/explore.css', 'dist/explore.css');
