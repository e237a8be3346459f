import type { DomainDeps } from '../domain/deps';

/** Everything a function invocation is given. Grows with the ports later features add. */
export type AppDeps = DomainDeps;
