import { config } from './config';

App({
  onLaunch() {
    if (config.transport === 'cloud') {
      wx.cloud.init({ env: config.cloudEnvId || undefined, traceUser: true });
    }
  },
});
