/** My appointments: upcoming ones (with the tickets ahead today) can be cancelled; the history below. */
import type { AppointmentView } from '../../../../typings/branches';
import { branchesService } from '../../../services/branches';
import { errorMessage } from '../../../services/transport';
import { loadWithState } from '../../../utils/load';
import { navigate, ROUTES } from '../../../utils/routes';
import type { DatasetEvent } from '../../../utils/events';

interface AppointmentItem extends AppointmentView {
  statusText: string;
  aheadText: string;
}

function toItem(appointment: AppointmentView, upcoming: boolean): AppointmentItem {
  const statusText = appointment.status === 'cancelled' ? '已取消' : upcoming ? '待办理' : '已结束';
  let aheadText = '';
  if (upcoming && appointment.ticketsAhead !== null) {
    aheadText = appointment.ticketsAhead === 0 ? '即将叫号，请到柜台前等候' : `前面还有 ${appointment.ticketsAhead} 位`;
  }
  return { ...appointment, statusText, aheadText };
}

Component({
  data: {
    loading: true,
    errorMessage: '',
    upcoming: [] as AppointmentItem[],
    history: [] as AppointmentItem[],
    cancellingId: '',
  },
  methods: {
    onShow() {
      void this.load();
    },

    async load() {
      const showing = this.data.upcoming.length + this.data.history.length > 0;
      await loadWithState(
        this,
        async () => {
          const mine = await branchesService.mine();
          this.setData({
            upcoming: mine.upcoming.map((a) => toItem(a, true)),
            history: mine.history.map((a) => toItem(a, false)),
          });
        },
        '加载失败，请重试',
        showing,
      );
    },

    onRetry() {
      void this.load();
    },

    async onCancel(event: DatasetEvent<{ id: string }>) {
      const { id } = event.currentTarget.dataset;
      const appointment = this.data.upcoming.find((a) => a.id === id);
      if (!appointment || this.data.cancellingId) return;
      const answer = await wx.showModal({
        title: '取消预约',
        content: `确定取消 ${appointment.date} ${appointment.time} 在${appointment.branchName}的预约（${appointment.ticket}）吗？`,
        confirmText: '取消预约',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      this.setData({ cancellingId: id });
      try {
        await branchesService.cancel(id);
        wx.showToast({ title: '已取消', icon: 'success' });
        await this.load();
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '取消失败，请重试'), icon: 'none' });
      } finally {
        this.setData({ cancellingId: '' });
      }
    },

    onFindBranches: navigate(ROUTES.branches),
  },
});
