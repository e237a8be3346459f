// `npm start`: build the functions and the local host, pack vant into miniprogram_npm, then run
// the host (it migrates and seeds .data/wxbank.sqlite, or $WXBANK_DB).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAll } from './build.mjs';
import { buildPreview } from './build-preview.mjs';
import { packNpm } from './pack-npm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = await buildAll();
console.log(`built ${built.functions.length} function(s) and the host in ${built.ms} ms`);
const packed = await packNpm();
console.log(packed.skipped ? 'miniprogram_npm is up to date' : `packed miniprogram_npm in ${packed.ms} ms`);
const preview = await buildPreview();
console.log(`built the browser preview in ${preview.ms} ms`);
process.chdir(root);
await import(pathToFileURL(path.join(root, 'dist', 'host', 'main.js')).href);
