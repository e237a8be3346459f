/** One branch: hours, services, the live queue; call it, navigate to it, or book a visit. */
import type { BranchDetail, DetailRequest, QueueLineView } from '../../../../typings/branches';
import { branchesService } from '../../../services/branches';
import { loadWithState } from '../../../utils/load';
import { formatDistance, formatQueue } from '../../utils/format';

Component({
  data: {
    loading: true,
    errorMessage: '',
    branchId: '',
    from: null as null | { lat: number; lng: number },
    branch: null as BranchDetail | null,
    distanceText: '',
    todayText: '',
    queueText: '',
    queueLines: [] as QueueLineView[],
  },
  methods: {
    onLoad(query: { id?: string; lat?: string; lng?: string }) {
      const lat = Number(query.lat);
      const lng = Number(query.lng);
      this.setData({
        branchId: decodeURIComponent(query.id ?? ''),
        from: query.lat && query.lng && Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng } : null,
      });
      void this.load();
    },

    async load() {
      const { branchId, from } = this.data;
      const request: DetailRequest = from ? { branchId, lat: from.lat, lng: from.lng } : { branchId };
      await loadWithState(
        this,
        async () => {
          const branch = await branchesService.detail(request);
          this.setData({
            branch,
            distanceText: formatDistance(branch.distanceM),
            todayText: branch.todayHours.startsWith('今日') ? branch.todayHours : `今日 ${branch.todayHours}`,
            queueText: formatQueue(branch.queue, branch.openNow),
            queueLines: branch.queue?.lines ?? [],
          });
          wx.setNavigationBarTitle({ title: branch.name });
        },
        '网点信息加载失败，请重试',
      );
    },

    onRetry() {
      void this.load();
    },

    onCall() {
      const { branch } = this.data;
      if (!branch) return;
      wx.makePhoneCall({
        phoneNumber: branch.phone,
        fail: () => undefined, // the user closed the dialler: nothing to report
      });
    },

    onNavigate() {
      const { branch } = this.data;
      if (!branch) return;
      wx.openLocation({
        latitude: branch.lat,
        longitude: branch.lng,
        name: branch.name,
        address: branch.address,
        scale: 16,
        fail: () => wx.showToast({ title: '无法打开地图', icon: 'none' }),
      });
    },

    onBook() {
      const { branch } = this.data;
      if (!branch) return;
      void wx.navigateTo({ url: `/packageBranches/pages/book/index?branchId=${encodeURIComponent(branch.id)}` });
    },
  },
});
