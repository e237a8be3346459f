// Page tests load vant from miniprogram/miniprogram_npm: pack it once before any test runs.
module.exports = async function globalSetup() {
  const { packNpm } = await import('../scripts/pack-npm.mjs');
  await packNpm();
};
