// Journeys open the preview: build it once (and the fixture mini program's) before any journey runs.
module.exports = async function buildPreviews() {
  const path = await import('node:path');
  const { buildPreview } = await import('../../scripts/build-preview.mjs');
  const root = path.resolve(__dirname, '../..');
  const real = await buildPreview();
  const fixture = await buildPreview({
    miniprogramDir: path.join(root, 'test', 'fixtures', 'preview-app', 'miniprogram'),
    outDir: path.join(root, 'dist', 'preview-fixture'),
  });
  process.stdout.write(`\npreview built in ${real.ms} ms (fixture app ${fixture.ms} ms)\n`);
};
