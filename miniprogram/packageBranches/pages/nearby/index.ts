/**
 * Nearby branches: a map with a marker per branch and a list sorted by distance, from the phone's
 * location (GCJ-02, as the map uses). Filters by bank, service and "open now". When the location is
 * refused or unavailable, the user picks a city and the list starts from its centre.
 */
import type { BranchSummary, CityView, NearbyRequest } from '../../../../typings/branches';
import { branchesService } from '../../../services/branches';
import { errorMessage } from '../../../services/transport';
import type { DatasetEvent } from '../../../utils/events';
import { formatDistance, formatQueue } from '../../utils/format';

interface BranchItem extends BranchSummary {
  distanceText: string;
  queueText: string;
}

interface Chip {
  code: string;
  label: string;
  selected: boolean;
}

interface Origin {
  lat: number;
  lng: number;
  label: string;
}

const PAGE_SIZE = 20;

function locate(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    wx.getLocation({
      type: 'gcj02',
      success: (result) => resolve({ lat: result.latitude, lng: result.longitude }),
      fail: reject,
    });
  });
}

function toItem(branch: BranchSummary): BranchItem {
  return {
    ...branch,
    distanceText: formatDistance(branch.distanceM),
    // a closed branch already says 休息中 beside its hours
    queueText: branch.openNow ? formatQueue(branch.queue, true) : '',
  };
}

function toMarkers(items: BranchItem[]) {
  return items.map((item, index) => ({
    id: index,
    latitude: item.lat,
    longitude: item.lng,
    title: item.name,
    iconPath: '/packageBranches/images/marker.png',
    width: 24,
    height: 32,
    callout: {
      content: `${item.name}\n${item.queueText || `休息中 · ${item.todayHours}`}`,
      display: 'BYCLICK',
      padding: 8,
      borderRadius: 6,
      fontSize: 12,
    },
  }));
}

Component({
  data: {
    phase: 'locating' as 'locating' | 'choose-city' | 'ready',
    locationHint: '',
    cities: [] as CityView[],
    origin: null as Origin | null,
    banks: [] as Chip[],
    services: [] as Chip[],
    openNow: false,
    loading: false,
    loadingMore: false,
    errorMessage: '',
    items: [] as BranchItem[],
    markers: [] as ReturnType<typeof toMarkers>,
    nextCursor: '',
    selectedId: '',
  },
  methods: {
    onLoad() {
      void this.start();
    },

    async start() {
      this.setData({ phase: 'locating', errorMessage: '' });
      const [catalog, position] = await Promise.allSettled([branchesService.catalog(), locate()]);
      if (catalog.status === 'rejected') {
        this.setData({ phase: 'ready', errorMessage: errorMessage(catalog.reason, '网点信息加载失败，请重试') });
        return;
      }
      this.setData({
        cities: catalog.value.cities,
        banks: catalog.value.banks.map((bank) => ({ code: bank.code, label: bank.shortName, selected: false })),
        services: catalog.value.services.map((service) => ({
          code: service.code,
          label: service.label,
          selected: false,
        })),
      });
      if (position.status === 'fulfilled') {
        this.setData({ origin: { ...position.value, label: '当前位置' }, phase: 'ready' });
        await this.search();
      } else {
        const denied = /auth|deny|denied/i.test((position.reason as { errMsg?: string })?.errMsg ?? '');
        this.setData({
          phase: 'choose-city',
          locationHint: denied
            ? '您未授权使用位置信息，请选择城市查看网点'
            : '暂时无法获取您的位置，请选择城市查看网点',
        });
      }
    },

    onRetryLocation() {
      void this.start();
    },

    onChangeCity() {
      this.setData({ phase: 'choose-city', locationHint: '选择城市，从市中心开始查看网点' });
    },

    onPickCity(event: DatasetEvent<{ code: string }>) {
      const city = this.data.cities.find((c) => c.code === event.currentTarget.dataset.code);
      if (!city) return;
      this.setData({ origin: { lat: city.lat, lng: city.lng, label: city.name }, phase: 'ready' });
      void this.search();
    },

    onToggleBank(event: DatasetEvent<{ code: string }>) {
      const { code } = event.currentTarget.dataset;
      this.setData({ banks: this.data.banks.map((b) => (b.code === code ? { ...b, selected: !b.selected } : b)) });
      void this.search();
    },

    onToggleService(event: DatasetEvent<{ code: string }>) {
      const { code } = event.currentTarget.dataset;
      // one service at a time; tapping the selected one clears it
      this.setData({ services: this.data.services.map((s) => ({ ...s, selected: s.code === code && !s.selected })) });
      void this.search();
    },

    onToggleOpenNow() {
      this.setData({ openNow: !this.data.openNow });
      void this.search();
    },

    request(cursor?: string): NearbyRequest | null {
      const { origin } = this.data;
      if (!origin) return null;
      const bankCodes = this.data.banks.filter((b) => b.selected).map((b) => b.code) as NearbyRequest['bankCodes'];
      const service = this.data.services.find((s) => s.selected)?.code as NearbyRequest['service'];
      return {
        lat: origin.lat,
        lng: origin.lng,
        limit: PAGE_SIZE,
        ...(bankCodes && bankCodes.length > 0 ? { bankCodes } : {}),
        ...(service ? { service } : {}),
        ...(this.data.openNow ? { openNow: true } : {}),
        ...(cursor ? { cursor } : {}),
      };
    },

    async search() {
      const request = this.request();
      if (!request) return;
      this.setData({ loading: true, errorMessage: '', selectedId: '' });
      try {
        const page = await branchesService.nearby(request);
        const items = page.branches.map(toItem);
        this.setData({ items, markers: toMarkers(items), nextCursor: page.nextCursor ?? '' });
      } catch (error) {
        this.setData({ items: [], markers: [], nextCursor: '', errorMessage: errorMessage(error, '加载失败，请重试') });
      } finally {
        this.setData({ loading: false });
      }
    },

    onRetry() {
      if (this.data.origin) void this.search();
      else void this.start();
    },

    async loadMore() {
      const request = this.data.nextCursor ? this.request(this.data.nextCursor) : null;
      if (!request || this.data.loadingMore || this.data.loading) return;
      this.setData({ loadingMore: true });
      try {
        const page = await branchesService.nearby(request);
        const items = [...this.data.items, ...page.branches.map(toItem)];
        this.setData({ items, markers: toMarkers(items), nextCursor: page.nextCursor ?? '' });
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '加载失败，请重试'), icon: 'none' });
      } finally {
        this.setData({ loadingMore: false });
      }
    },

    onReachBottom() {
      void this.loadMore();
    },

    onMarkerTap(event: { detail: { markerId: number } }) {
      const item = this.data.items[event.detail.markerId];
      if (item) this.setData({ selectedId: item.id });
    },

    onCalloutTap(event: { detail: { markerId: number } }) {
      const item = this.data.items[event.detail.markerId];
      if (item) this.openDetail(item.id);
    },

    onOpenBranch(event: DatasetEvent<{ id: string }>) {
      this.openDetail(event.currentTarget.dataset.id);
    },

    openDetail(id: string) {
      const { origin } = this.data;
      const from = origin && origin.label === '当前位置' ? `&lat=${origin.lat}&lng=${origin.lng}` : '';
      void wx.navigateTo({ url: `/packageBranches/pages/detail/index?id=${encodeURIComponent(id)}${from}` });
    },

    onOpenAppointments() {
      void wx.navigateTo({ url: '/packageBranches/pages/appointments/index' });
    },
  },
});
