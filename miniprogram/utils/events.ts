/** Events whose `detail` is the value itself, as vant's field, stepper and switch emit them. */
export interface ValueEvent<T> {
  detail: T;
}

/** Taps on an element whose `data-*` attributes carry the value. */
export interface DatasetEvent<T> {
  currentTarget: { dataset: T };
}
