/**
 * CloudBaseAdmin over the official management SDK, `@cloudbase/manager-node` (the library the
 * CloudBase CLI itself is built on). Deploy talks to the management API directly rather than
 * through `@cloudbase/cli` + cloudbaserc.json because it must *compare* before it changes (read each
 * function's environment to keep WXBANK_SECRET, read rules back to prove they took), which the CLI's
 * deploy-everything commands do not offer; and the CLI is a large global tool that `npm ci` would
 * not give a fresh clone, while manager-node is a pinned dev dependency.
 *
 * Each call's failure is rethrown as one Error naming the operation, with CloudBase's code and
 * request id (what support asks for).
 */
import CloudBase from '@cloudbase/manager-node';
import type {
  CloudBaseAdmin,
  CollectionPermission,
  DeployedFunction,
  FunctionDeployment,
  HttpAccess,
  IndexSpec,
  TriggerSpec,
} from './admin';

export interface ManagerCredentials {
  envId: string;
  secretId: string;
  secretKey: string;
  /** Temporary keys' session token. */
  token?: string;
  region?: string;
}

const PAGE = 100;

function failure(operation: string, error: unknown): Error {
  const value = (error ?? {}) as { message?: unknown; code?: unknown; requestId?: unknown };
  const message = typeof value.message === 'string' ? value.message : String(error);
  const details = [value.code, value.requestId].filter((item) => typeof item === 'string' && item.length > 0);
  return new Error(`${operation}: ${message}${details.length > 0 ? ` [${details.join(', ')}]` : ''}`, {
    cause: error,
  });
}

async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw failure(operation, error);
  }
}

function isNotFound(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return /^ResourceNotFound/.test(code);
}

/** SCF reports a timer's cron either as is or as `{"cron": "…"}`. */
function cronOf(description: string | undefined): string {
  if (!description) return '';
  try {
    const parsed = JSON.parse(description) as { cron?: unknown };
    if (typeof parsed.cron === 'string') return parsed.cron;
  } catch {
    // a plain cron expression
  }
  return description;
}

interface PermissionEntry {
  Resource?: string;
  Permission?: string;
  SecurityRule?: string;
}

/** The permission list, whether the answer nests it in `Data` (as typed) or not. */
function permissionList(answer: unknown): PermissionEntry[] {
  const value = answer as { Data?: { PermissionList?: PermissionEntry[] }; PermissionList?: PermissionEntry[] };
  return value.Data?.PermissionList ?? value.PermissionList ?? [];
}

function checkSuccess(answer: unknown, operation: string): void {
  const value = answer as { Data?: { Success?: boolean }; Success?: boolean };
  const success = value.Data?.Success ?? value.Success;
  if (success === false) throw new Error(`${operation}: CloudBase answered Success: false`);
}

export class ManagerNodeAdmin implements CloudBaseAdmin {
  private readonly app: CloudBase;

  constructor(credentials: ManagerCredentials) {
    this.app = new CloudBase({
      envId: credentials.envId,
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      ...(credentials.token ? { token: credentials.token } : {}),
      ...(credentials.region ? { region: credentials.region } : {}),
    });
  }

  async listCollections(): Promise<string[]> {
    const names: string[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await call('list collections', () =>
        this.app.database.listCollections({ MgoLimit: PAGE, MgoOffset: offset }),
      );
      names.push(...page.Collections.map((collection) => collection.CollectionName));
      if (page.Collections.length < PAGE || names.length >= (page.Pager?.Total ?? 0)) return names;
    }
  }

  async createCollection(name: string): Promise<void> {
    await call(`create collection ${name}`, () => this.app.database.createCollection(name));
  }

  async describeIndexes(collection: string): Promise<IndexSpec[]> {
    const table = await call(`describe collection ${collection}`, () =>
      this.app.database.describeCollection(collection),
    );
    return (table.Indexes ?? [])
      .filter((index) => index.Name !== '_id_')
      .map((index) => ({
        name: index.Name,
        keys: (index.Keys ?? []).map((key) => ({
          field: key.Name ?? '',
          direction: String(key.Direction ?? '1') as IndexSpec['keys'][number]['direction'],
        })),
      }));
  }

  async createIndexes(collection: string, indexes: IndexSpec[]): Promise<void> {
    await call(`create indexes on ${collection}`, () =>
      this.app.database.updateCollection(collection, {
        CreateIndexes: indexes.map((index) => ({
          IndexName: index.name,
          MgoKeySchema: {
            MgoIndexKeys: index.keys.map((key) => ({ Name: key.field, Direction: key.direction })),
            MgoIsUnique: false,
          },
        })),
      }),
    );
  }

  async getCollectionPermissions(names: string[]): Promise<Record<string, CollectionPermission | null>> {
    const result: Record<string, CollectionPermission | null> = Object.fromEntries(names.map((name) => [name, null]));
    for (let start = 0; start < names.length; start += PAGE) {
      const chunk = names.slice(start, start + PAGE);
      const answer = await call('describe collection permissions', () =>
        this.app.permission.describeResourcePermission({ resourceType: 'collection', resources: chunk }),
      );
      for (const entry of permissionList(answer)) {
        if (entry.Resource && entry.Resource in result) {
          result[entry.Resource] = { permission: entry.Permission ?? '', securityRule: entry.SecurityRule ?? null };
        }
      }
    }
    return result;
  }

  async setCollectionRule(name: string, securityRule: string): Promise<void> {
    const operation = `set the security rule of ${name}`;
    const answer = await call(operation, () =>
      this.app.permission.modifyResourcePermission({
        resourceType: 'collection',
        resource: name,
        permission: 'CUSTOM',
        securityRule,
      }),
    );
    checkSuccess(answer, operation);
  }

  async getFunctionRule(): Promise<string | null> {
    const answer = await call('describe the function security rule', () =>
      this.app.permission.describeResourcePermission({ resourceType: 'function' }),
    );
    return permissionList(answer)[0]?.SecurityRule ?? null;
  }

  async setFunctionRule(securityRule: string): Promise<void> {
    const operation = 'set the function security rule';
    const answer = await call(operation, () =>
      this.app.permission.modifyResourcePermission({ resourceType: 'function', permission: 'CUSTOM', securityRule }),
    );
    checkSuccess(answer, operation);
  }

  async getFunction(name: string): Promise<DeployedFunction | null> {
    let detail;
    try {
      detail = await this.app.functions.getFunctionDetail(name);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw failure(`read function ${name}`, error);
    }
    const triggers: TriggerSpec[] = (detail.Triggers ?? [])
      .filter((trigger) => trigger.Type === 'timer')
      .map((trigger) => ({
        name: trigger.TriggerName,
        type: 'timer',
        config: cronOf(trigger.TriggerDesc),
      }));
    return {
      name,
      runtime: detail.Runtime,
      handler: detail.Handler,
      timeoutSeconds: Number(detail.Timeout),
      memoryMb: Number(detail.MemorySize),
      installDependency: detail.InstallDependency === 'TRUE',
      description: detail.Description ?? '',
      env: Object.fromEntries((detail.Environment?.Variables ?? []).map((variable) => [variable.Key, variable.Value])),
      triggers,
    };
  }

  private config(deployment: FunctionDeployment) {
    return {
      name: deployment.name,
      runtime: deployment.runtime,
      handler: deployment.handler,
      timeout: deployment.timeoutSeconds,
      memorySize: deployment.memoryMb,
      envVariables: deployment.env,
      description: deployment.description,
      // The folder is self-contained: CloudBase must not run an install on it.
      installDependency: false,
    };
  }

  /**
   * The package goes in the request itself (ZipFile, up to 1.5 MB zipped; a function is about
   * 0.5 MB) — no temporary COS bucket in between; a larger one falls back to the COS upload.
   */
  private async withPackage(upload: (deployMode: 'zip' | undefined) => Promise<unknown>): Promise<void> {
    try {
      await upload('zip');
    } catch (error) {
      if (!/1\.5MB/.test(String((error as { message?: unknown } | null)?.message))) throw error;
      await upload(undefined);
    }
  }

  async createFunction(deployment: FunctionDeployment): Promise<void> {
    await call(`create function ${deployment.name}`, () =>
      this.withPackage((deployMode) =>
        this.app.functions.createFunction({
          func: this.config(deployment),
          functionPath: deployment.codeDir,
          ...(deployMode ? { deployMode } : {}),
        }),
      ),
    );
  }

  async deleteFunction(name: string): Promise<void> {
    await call(`delete function ${name}`, () => this.app.functions.deleteFunction(name));
  }

  async updateFunctionCode(deployment: FunctionDeployment): Promise<void> {
    await call(`upload the code of ${deployment.name}`, async () => {
      await this.withPackage((deployMode) =>
        this.app.functions.updateFunctionCode({
          func: this.config(deployment),
          functionPath: deployment.codeDir,
          ...(deployMode ? { deployMode } : {}),
        }),
      );
      // The function is "Updating" for a while: the next change to it would be refused.
      await this.app.functions.waitFunctionActive(deployment.name);
    });
  }

  async updateFunctionConfig(deployment: FunctionDeployment): Promise<void> {
    await call(`update the configuration of ${deployment.name}`, async () => {
      await this.app.functions.waitFunctionActive(deployment.name);
      const { runtime: _runtime, handler: _handler, ...config } = this.config(deployment);
      await this.app.functions.updateFunctionConfig(config);
      await this.app.functions.waitFunctionActive(deployment.name);
    });
  }

  async createTrigger(functionName: string, trigger: TriggerSpec): Promise<void> {
    await call(`create trigger ${functionName}/${trigger.name}`, () =>
      this.app.functions.createFunctionTriggers(functionName, [trigger]),
    );
  }

  async deleteTrigger(functionName: string, triggerName: string): Promise<void> {
    await call(`delete trigger ${functionName}/${triggerName}`, () =>
      this.app.functions.deleteFunctionTrigger(functionName, triggerName),
    );
  }

  async getHttpService(): Promise<{ enabled: boolean; domain: string | null }> {
    const service = await call('describe HTTP access', () => this.app.access.getDomainList());
    return { enabled: Boolean(service.EnableService), domain: service.DefaultDomain || null };
  }

  async enableHttpService(): Promise<void> {
    // manager-node names the service switch `switchAuth`: it turns HTTP access itself on.
    await call('switch on HTTP access', () => this.app.access.switchAuth(true));
  }

  async listHttpAccess(): Promise<HttpAccess[]> {
    const paths: HttpAccess[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await call('list HTTP access paths', () => this.app.access.getAccessList({ limit: PAGE, offset }));
      const set = page.APISet ?? [];
      // Type 1: a path routed to a cloud function (others go to CloudBase Run services).
      for (const api of set) if (api.Type === 1) paths.push({ path: api.Path, functionName: api.Name, id: api.APIId });
      if (set.length < PAGE || offset + set.length >= (page.Total ?? 0)) return paths;
    }
  }

  async createHttpAccess(access: HttpAccess): Promise<void> {
    await call(`create HTTP access ${access.path}`, () =>
      this.app.access.createAccess({ path: access.path, name: access.functionName, type: 1, auth: false }),
    );
  }

  async deleteHttpAccess(access: HttpAccess): Promise<void> {
    await call(`delete HTTP access ${access.path}`, () =>
      this.app.access.deleteAccess(access.id ? { apiId: access.id } : { name: access.functionName, type: 1 }),
    );
  }
}
