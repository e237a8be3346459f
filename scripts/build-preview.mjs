// Builds the browser preview into dist/preview/ (served by the local host at /preview):
//  - files.js: window.__FILE_MAP__ — every file of the mini program that simulate reads (JSON,
//    WXSS, JS; TypeScript compiled to CommonJS per file with esbuild), plus modules outside the
//    mini program root that its code requires (typings/), and the manifest;
//  - wxml.js: every WXML compiled by the official compiler (miniprogram-compiler's wcc, run here in
//    node; it is a native binary, so the browser gets its output), vant's <wxs> modules included;
//  - preview.js + preview.css: the runtime (preview/runtime/), simulate and j-component bundled for
//    the browser;
//  - assets/: images referenced by pages and the tab bar.
// Nothing here names a page: everything under the mini program root is taken, so pages added on
// other branches render without touching the preview.
import { build, transform } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packNpm } from './pack-npm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runtimeDir = path.join(root, 'preview', 'runtime');
/** The key prefix of the mini program root inside the file map, whatever its folder is called. */
const MAP_ROOT = 'miniprogram';
const TEXT_EXTENSIONS = new Set(['.json', '.wxss', '.js']);
const ASSET_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp']);

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file, out);
    else out.push(file);
  }
  return out;
}

const isNpmStyle = (value) => !value.startsWith('/') && !value.startsWith('.') && !value.startsWith('plugin://');

/** npm-style usingComponents resolve through miniprogram_npm, as the devtools' "构建 npm" output does. */
function rewriteJson(text, miniprogramDir) {
  const json = JSON.parse(text);
  const using = json.usingComponents;
  if (using && typeof using === 'object') {
    for (const [tag, value] of Object.entries(using)) {
      if (
        typeof value === 'string' &&
        isNpmStyle(value) &&
        existsSync(path.join(miniprogramDir, 'miniprogram_npm', `${value}.json`))
      )
        using[tag] = `/miniprogram_npm/${value}`;
    }
  }
  return JSON.stringify(json);
}

async function compileTs(file) {
  const result = await transform(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'es2019',
    sourcefile: file,
  });
  return result.code;
}

/** `require('…')` targets of compiled CommonJS, for modules that live outside the mini program root. */
function requiredPaths(code) {
  return [...code.matchAll(/require\((["'])([^"']+)\1\)/g)].map((match) => match[2]);
}

/**
 * The file map: keys are `miniprogram/<path>` for the mini program and `<path from repo>` for
 * modules outside it; values are the text simulate reads.
 */
async function collectFiles(miniprogramDir) {
  const files = {};
  const wxml = [];
  const assets = [];
  const pending = [];
  for (const file of walk(miniprogramDir)) {
    const rel = path.relative(miniprogramDir, file).split(path.sep).join('/');
    const ext = path.extname(file);
    if (ext === '.ts' && !file.endsWith('.d.ts')) {
      const code = await compileTs(file);
      files[`${MAP_ROOT}/${rel.slice(0, -3)}.js`] = code;
      pending.push({ file, code });
    } else if (ext === '.wxml') wxml.push(rel.slice(0, -5));
    else if (ext === '.json') files[`${MAP_ROOT}/${rel}`] = rewriteJson(readFileSync(file, 'utf8'), miniprogramDir);
    else if (TEXT_EXTENSIONS.has(ext)) files[`${MAP_ROOT}/${rel}`] = readFileSync(file, 'utf8');
    else if (ASSET_EXTENSIONS.has(ext)) assets.push(rel);
  }
  // Modules the mini program requires from outside its root (typings/ today), followed transitively.
  const outsideRoot = path.dirname(miniprogramDir);
  while (pending.length > 0) {
    const { file, code } = pending.pop();
    for (const request of requiredPaths(code)) {
      if (!request.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), request);
      if (target.startsWith(miniprogramDir + path.sep)) continue;
      const source = [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) => existsSync(candidate));
      if (!source) continue;
      const key = `${path.relative(outsideRoot, source).split(path.sep).join('/').slice(0, -3)}.js`;
      if (key in files) continue;
      const compiled = await compileTs(source);
      files[key] = compiled;
      pending.push({ file: source, code: compiled });
    }
  }
  return { files, wxml: wxml.sort(), assets: assets.sort() };
}

/**
 * Builds the preview of the mini program in `miniprogramDir` (default: the project's) into `outDir`.
 * The map root is named `miniprogram` in the browser, so requires to `../typings` stay valid when
 * the mini program folder is a sibling of typings/.
 */
export async function buildPreview({
  miniprogramDir = path.join(root, 'miniprogram'),
  outDir = path.join(root, 'dist', 'preview'),
} = {}) {
  const started = Date.now();
  if (miniprogramDir === path.join(root, 'miniprogram')) await packNpm();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const { files, wxml, assets } = await collectFiles(miniprogramDir);
  const manifest = { root: MAP_ROOT, wxml, assets };
  writeFileSync(
    path.join(outDir, 'files.js'),
    `window.__FILE_MAP__=${JSON.stringify(files)};\nwindow.__PREVIEW_MANIFEST__=${JSON.stringify(manifest)};\n`,
  );
  const compiledWxml = require('miniprogram-compiler').wxmlToJs(miniprogramDir);
  writeFileSync(path.join(outDir, 'wxml.js'), `window.__PREVIEW_WXML__=function(){${compiledWxml}};\n`);
  for (const asset of assets) {
    const target = path.join(outDir, 'assets', MAP_ROOT, asset);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(miniprogramDir, asset), target);
  }

  await build({
    entryPoints: [path.join(runtimeDir, 'main.ts')],
    outfile: path.join(outDir, 'preview.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome100',
    // simulate and j-component are written for node (global) with a browser mode; webpack 4's
    // node polyfills they were built with are replaced by these small shims.
    define: { global: 'window' },
    alias: {
      path: path.join(runtimeDir, 'shims', 'path.ts'),
      fs: path.join(runtimeDir, 'shims', 'empty.ts'),
      less: path.join(runtimeDir, 'shims', 'less.ts'),
    },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(path.join(runtimeDir, 'preview.css'), path.join(outDir, 'preview.css'));
  writeFileSync(
    path.join(outDir, 'index.html'),
    `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wxbank 预览</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="preview.css">
</head>
<body>
<div id="preview"></div>
<script src="files.js"></script>
<script src="wxml.js"></script>
<script src="preview.js"></script>
</body>
</html>
`,
  );
  return { ms: Date.now() - started, files: Object.keys(files).length, components: wxml.length, assets: assets.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await buildPreview();
  console.log(
    `built the preview (${result.files} files, ${result.components} WXML templates, ${result.assets} assets) in ${result.ms} ms → dist/preview/`,
  );
}
