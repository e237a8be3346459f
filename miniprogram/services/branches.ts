/** Typed client of the `branches` cloud function. */
import type {
  AppointmentView,
  BookRequest,
  BranchDetail,
  CatalogView,
  DetailRequest,
  MineView,
  NearbyRequest,
  NearbyView,
  SlotsRequest,
  SlotsView,
} from '../../typings/branches';
import { callFunction } from './transport';

export const branchesService = {
  catalog(): Promise<CatalogView> {
    return callFunction('branches', 'catalog', {});
  },
  nearby(request: NearbyRequest): Promise<NearbyView> {
    return callFunction('branches', 'nearby', request);
  },
  detail(request: DetailRequest): Promise<BranchDetail> {
    return callFunction('branches', 'detail', request);
  },
  slots(request: SlotsRequest): Promise<SlotsView> {
    return callFunction('branches', 'slots', request);
  },
  book(request: BookRequest): Promise<AppointmentView> {
    return callFunction('branches', 'book', request);
  },
  cancel(appointmentId: string): Promise<AppointmentView> {
    return callFunction('branches', 'cancel', { appointmentId });
  },
  mine(): Promise<MineView> {
    return callFunction('branches', 'mine', {});
  },
};
