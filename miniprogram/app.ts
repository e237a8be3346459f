import { config } from './config';
import { rememberLaunch, type LaunchState } from './utils/qr';

App<{ globalData: LaunchState }>({
  globalData: { launchQr: null },
  onLaunch(options) {
    if (config.transport === 'cloud') {
      wx.cloud.init({ env: config.cloudEnvId || undefined, traceUser: true });
    }
    rememberLaunch(this.globalData, options);
  },
  // a warm start by scanning a code arrives here, not in onLaunch
  onShow(options) {
    rememberLaunch(this.globalData, options);
  },
});
