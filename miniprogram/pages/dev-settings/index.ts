/**
 * Developer settings for the local transport: which local host to call and which demo identity
 * to call it as, then a session call to prove the connection.
 */
import type { SessionView } from '../../../typings/user';
import { devOpenid, localHostUrl, ServiceError, setDevConnection } from '../../services/transport';
import { userService } from '../../services/user';
import type { ValueEvent } from '../../utils/events';

const LEVEL_LABELS: Record<SessionView['level'], string> = { follower: '未实名', verified: '已实名' };

Component({
  data: {
    hostUrl: '',
    openid: '',
    connecting: false,
    session: null as null | { userId: string; levelLabel: string },
    errorMessage: '',
  },
  methods: {
    onLoad() {
      this.setData({ hostUrl: localHostUrl(), openid: devOpenid() });
    },
    onHostInput(event: ValueEvent<string>) {
      this.setData({ hostUrl: event.detail.trim() });
    },
    onOpenidInput(event: ValueEvent<string>) {
      this.setData({ openid: event.detail.trim() });
    },
    async onConnect() {
      const { hostUrl, openid } = this.data;
      if (!/^https?:\/\/.+/.test(hostUrl) || openid.length === 0) {
        this.setData({ errorMessage: '请填写本地服务地址（http://…）和 openid' });
        return;
      }
      setDevConnection(hostUrl, openid);
      this.setData({ connecting: true, errorMessage: '', session: null });
      try {
        const session = await userService.session();
        this.setData({ session: { userId: session.userId, levelLabel: LEVEL_LABELS[session.level] } });
      } catch (error) {
        this.setData({ errorMessage: error instanceof ServiceError ? error.message : '连接失败' });
      } finally {
        this.setData({ connecting: false });
      }
    },
  },
});
