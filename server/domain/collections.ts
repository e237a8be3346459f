/**
 * Every stored collection, its document shape and the indexes its queries need. Adapters create
 * tables/collections and indexes from COLLECTION_SPECS, so a new collection is declared here once.
 */
import type { CollectionSpec } from './ports/store';
import type { UserLevel } from '../../typings/user';

export interface UserDoc {
  id: string;
  level: UserLevel;
  createdAt: number;
  updatedAt: number;
}

/** Maps a WeChat openid to our user id; the doc id is the openid, which makes first sign-in race-free. */
export interface WxAccountDoc {
  id: string;
  userId: string;
  createdAt: number;
}

export interface Collections {
  users: UserDoc;
  wxAccounts: WxAccountDoc;
}

export type CollectionName = keyof Collections;

export const COLLECTION_SPECS: Record<CollectionName, CollectionSpec> = {
  users: { indexes: [] },
  wxAccounts: { indexes: [['userId']] },
};
