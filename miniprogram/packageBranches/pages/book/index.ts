/**
 * Booking a visit (预约取号): service → date → time slot → confirm → the ticket. The days and
 * slots come from the server (China time, the branch's hours, seats left); the server has the last
 * word on every rule, and its message is shown when it refuses. Booking needs a real name the bank
 * has confirmed: without one the page says so up front, and leads to the security centre.
 */
import type { AppointmentView, BranchDetail, CounterService, DayOption, SlotView } from '../../../../typings/branches';
import { branchesService } from '../../../services/branches';
import { errorMessage, ServiceError } from '../../../services/transport';
import { userService } from '../../../services/user';
import { loadWithState } from '../../../utils/load';
import { ROUTES } from '../../../utils/routes';
import type { DatasetEvent } from '../../../utils/events';

type Step = 'service' | 'slot' | 'confirm' | 'done';

const REAL_NAME_NEEDED = '预约取号需先完成实名认证（绑定本人银行卡后生效），以免号源被匿名账号占用。';

Component({
  data: {
    loading: true,
    errorMessage: '',
    /** Why this caller cannot book at all (no confirmed real name), shown instead of the steps. */
    blocked: '',
    branchId: '',
    branch: null as BranchDetail | null,
    step: 'service' as Step,
    service: '' as CounterService | '',
    serviceLabel: '',
    days: [] as DayOption[],
    date: '',
    slots: [] as SlotView[],
    loadingSlots: false,
    time: '',
    endTime: '',
    booking: false,
    notice: '',
    appointment: null as AppointmentView | null,
  },
  methods: {
    onLoad(query: { branchId?: string }) {
      this.setData({ branchId: decodeURIComponent(query.branchId ?? '') });
      void this.load();
    },

    async load() {
      await loadWithState(
        this,
        async () => {
          const [branch, session] = await Promise.all([
            branchesService.detail({ branchId: this.data.branchId }),
            userService.session(),
          ]);
          this.setData({ branch, blocked: session.level === 'verified' ? '' : REAL_NAME_NEEDED });
        },
        '加载失败，请重试',
      );
    },

    onRetry() {
      void this.load();
    },

    onPickService(event: DatasetEvent<{ service: CounterService }>) {
      const { service } = event.currentTarget.dataset;
      const label = this.data.branch?.bookableServices.find((s) => s.service === service)?.label ?? '';
      this.setData({ service, serviceLabel: label, date: '', time: '', notice: '', step: 'slot' });
      void this.loadSlots();
    },

    onPickDay(event: DatasetEvent<{ date: string; open: boolean }>) {
      const { date, open } = event.currentTarget.dataset;
      if (!open) return;
      this.setData({ date, time: '', notice: '', step: 'slot' });
      void this.loadSlots();
    },

    async loadSlots() {
      const { service, branchId, date } = this.data;
      if (!service) return;
      this.setData({ loadingSlots: true });
      try {
        const view = await branchesService.slots({ branchId, service, ...(date ? { date } : {}) });
        this.setData({ days: view.days, date: view.date, slots: view.slots });
      } catch (error) {
        this.setData({ notice: errorMessage(error, '时段加载失败，请重试'), slots: [] });
      } finally {
        this.setData({ loadingSlots: false });
      }
    },

    onPickSlot(event: DatasetEvent<{ time: string; endTime: string; status: string }>) {
      const { time, endTime, status } = event.currentTarget.dataset;
      if (status !== 'available') return;
      this.setData({ time, endTime, notice: '', step: 'confirm' });
    },

    async onConfirm() {
      const { branchId, service, date, time } = this.data;
      if (!service || !date || !time || this.data.booking) return;
      this.setData({ booking: true, notice: '' });
      try {
        const appointment = await branchesService.book({ branchId, service, date, time });
        this.setData({ appointment, step: 'done' });
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'REAL_NAME_REQUIRED') {
          this.setData({ blocked: REAL_NAME_NEEDED });
          return;
        }
        // e.g. the last seat went to someone else meanwhile: show why and the fresh seats
        this.setData({ notice: errorMessage(error, '预约失败，请重试'), step: 'slot', time: '' });
        void this.loadSlots();
      } finally {
        this.setData({ booking: false });
      }
    },

    onGoSecurity() {
      void wx.redirectTo({ url: ROUTES.security });
    },

    onOpenAppointments() {
      void wx.redirectTo({ url: '/packageBranches/pages/appointments/index' });
    },
  },
});
