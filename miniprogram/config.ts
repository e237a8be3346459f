/**
 * The one switch between backends. 'local': wx.request to the local host (`npm start`), identity
 * from the dev settings page. 'cloud': wx.cloud.callFunction on your CloudBase environment.
 */
export type TransportMode = 'local' | 'cloud';

export const config = {
  transport: 'local' as TransportMode,
  /** CloudBase environment id, used when transport is 'cloud'. */
  cloudEnvId: '',
  /** Where `npm start` listens. The dev settings page can override it (stored on the device). */
  localHostUrl: 'http://127.0.0.1:3300',
  /** The identity the local host is told the caller has, until changed on the dev settings page. */
  defaultDevOpenid: 'o-demo-alice',
};
