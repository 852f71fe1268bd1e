// Builds dist/, the GraphiQL page graphd serve embeds: the page, its script
// and styles, and the Monaco editor's web workers, all served from graphd
// itself so that the page works without a network. Run ./build.sh.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/workers', { recursive: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

await esbuild.build({
  ...common,
  entryPoints: ['src/index.jsx'],
  outfile: 'dist/graphiql.js',
  format: 'esm',
  jsx: 'automatic',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  assetNames: '[name]-[hash]',
});

for (const [name, entry] of Object.entries({
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
})) {
  await esbuild.build({ ...common, entryPoints: [entry], outfile: `dist/workers/${name}.worker.js`, format: 'iife' });
}

copyFileSync('src/index.html', 'dist/index.html');
