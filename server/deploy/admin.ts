/**
 * What `npm run deploy` needs of CloudBase's management API, as a small port: read the state of an
 * environment and change it one resource at a time. `manager-admin.ts` implements it over
 * `@cloudbase/manager-node`; the tests use an in-memory environment that behaves like CloudBase,
 * since the management API cannot be reached from here.
 */

/** One key of an index: ascending (`1`) or a 2dsphere geo key. */
export interface IndexKey {
  field: string;
  direction: '1' | '-1' | '2dsphere';
}

export interface IndexSpec {
  name: string;
  keys: IndexKey[];
}

/** A collection's permission as CloudBase reports it (`CUSTOM` comes with a JSON security rule). */
export interface CollectionPermission {
  permission: string;
  securityRule: string | null;
}

export interface TriggerSpec {
  name: string;
  type: 'timer';
  /** Cron expression (CloudBase's 7 fields, seconds first, year last). */
  config: string;
}

/** A function as deployed: what deploy compares with its plan. */
export interface DeployedFunction {
  name: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  installDependency: boolean;
  /** Deploy keeps the uploaded code's digest here (see `codeMarker` in apply.ts). */
  description: string;
  env: Record<string, string>;
  triggers: TriggerSpec[];
}

/** Everything needed to create a function or bring one up to date, secrets resolved. */
export interface FunctionDeployment {
  name: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  env: Record<string, string>;
  description: string;
  /** The built, self-contained folder uploaded as is (no dependency install). */
  codeDir: string;
}

/** An HTTP access path (HTTP 访问服务) routed to a function. */
export interface HttpAccess {
  path: string;
  functionName: string;
  /** CloudBase's id of an existing path (what deleting it takes). */
  id?: string;
}

export interface CloudBaseAdmin {
  listCollections(): Promise<string[]>;
  createCollection(name: string): Promise<void>;
  /** Indexes other than the implicit `_id_` one. */
  describeIndexes(collection: string): Promise<IndexSpec[]>;
  createIndexes(collection: string, indexes: IndexSpec[]): Promise<void>;
  /** Permissions of these collections; null for one CloudBase reports nothing about. */
  getCollectionPermissions(names: string[]): Promise<Record<string, CollectionPermission | null>>;
  setCollectionRule(name: string, securityRule: string): Promise<void>;

  /** The environment's one function security rule (JSON), or null when none is set. */
  getFunctionRule(): Promise<string | null>;
  setFunctionRule(securityRule: string): Promise<void>;

  getFunction(name: string): Promise<DeployedFunction | null>;
  createFunction(deployment: FunctionDeployment): Promise<void>;
  deleteFunction(name: string): Promise<void>;
  updateFunctionCode(deployment: FunctionDeployment): Promise<void>;
  updateFunctionConfig(deployment: FunctionDeployment): Promise<void>;
  createTrigger(functionName: string, trigger: TriggerSpec): Promise<void>;
  deleteTrigger(functionName: string, triggerName: string): Promise<void>;

  /** Whether HTTP access is switched on for the environment, and its default domain. */
  getHttpService(): Promise<{ enabled: boolean; domain: string | null }>;
  enableHttpService(): Promise<void>;
  listHttpAccess(): Promise<HttpAccess[]>;
  /** Created without CloudBase's own auth: the function authenticates the caller (token, machine secret). */
  createHttpAccess(access: HttpAccess): Promise<void>;
  deleteHttpAccess(access: HttpAccess): Promise<void>;
}
