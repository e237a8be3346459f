/** Events whose `detail` is the value itself, as vant's field, stepper and switch emit them. */
export interface ValueEvent<T> {
  detail: T;
}
