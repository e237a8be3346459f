// Page tests load vant from miniprogram/miniprogram_npm: pack it once before any test runs.
module.exports = async function globalSetup() {
  const { packNpm } = await import('../scripts/pack-npm.mjs');
  await packNpm();
  if (!(process.env.TCB_ENV_ID && process.env.TENCENTCLOUD_SECRETID && process.env.TENCENTCLOUD_SECRETKEY)) {
    console.log(
      '\nCloudBase store contract: SKIPPED (set TCB_ENV_ID, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY to run it)',
    );
  }
};
