/**
 * Deploy's adapter over the real `@cloudbase/manager-node`, its HTTPS answered by nock as a small
 * stateful Tencent Cloud API 3.0 (the tcb and scf actions deploy uses, in their documented
 * shapes). A deploy of every collection and two functions goes out as the requests the SDK really
 * sends; a second deploy reads it all back and changes nothing — the adapter reads what it wrote —
 * and a changed build goes up as a new package.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { deploy, type DeployOutcome } from '../../server/deploy/apply';
import { hashFolder } from '../../server/deploy/code';
import { ManagerNodeAdmin } from '../../server/deploy/manager-admin';
import { buildPlan, functionRuleOf, type DeployPlan } from '../../server/deploy/plan';
import { readLocalSecrets, writeLocalSecrets } from '../../server/deploy/secrets';
import { loadSettings } from '../../server/deploy/settings';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const root = path.resolve(__dirname, '../..');
const ENV_ID = 'wxbank-nock-1';
const DOMAIN = `${ENV_ID}.ap-shanghai.app.tcloudbase.com`;

type Params = Record<string, unknown>;
class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Table {
  indexes: { Name: string; Keys: { Name: string; Direction: string }[] }[];
}

interface ScfFunction {
  FunctionName: string;
  Runtime: string;
  Handler: string;
  Timeout: number;
  MemorySize: number;
  InstallDependency: 'TRUE' | 'FALSE';
  Description: string;
  Environment: { Variables: { Key: string; Value: string }[] };
  Triggers: { Type: string; TriggerName: string; TriggerDesc: string }[];
  Status: string;
  /** The last package received (base64 zip). */
  zip: string;
}

/** The management API as far as deploy uses it, with state. */
class TencentCloudApi {
  readonly tables = new Map<string, Table>();
  readonly permissions = new Map<string, { Permission: string; SecurityRule: string }>();
  functionRule: string | null = null;
  readonly functions = new Map<string, ScfFunction>();
  gatewayOn = false;
  readonly apis: { APIId: string; Path: string; Name: string; Type: number; EnableAuth: boolean }[] = [];
  readonly calls: { action: string; params: Params }[] = [];

  handle(action: string, params: Params): Params {
    this.calls.push({ action, params });
    const fn = (name: unknown) => {
      const found = this.functions.get(String(name));
      if (!found) throw new ApiError('ResourceNotFound.FunctionName', `function ${String(name)} does not exist`);
      return found;
    };
    switch (action) {
      case 'DescribeEnvInfo':
        return {
          EnvInfo: {
            EnvBaseInfo: {
              EnvId: ENV_ID,
              Databases: [{ InstanceId: 'tnt-nock', Region: 'ap-shanghai', Status: 'RUNNING' }],
              Functions: [{ Namespace: ENV_ID, Region: 'ap-shanghai' }],
              Storages: [{ AppId: '1250000000', Bucket: `${ENV_ID}-1250000000`, Region: 'ap-shanghai' }],
              LogServices: [],
              Region: 'ap-shanghai',
            },
            UserInfo: { AppId: '1250000000' },
          },
        };
      case 'ListTables': {
        const names = [...this.tables.keys()];
        const offset = Number(params.MgoOffset ?? 0);
        const limit = Number(params.MgoLimit ?? 100);
        return {
          Tables: names.slice(offset, offset + limit).map((TableName) => ({ TableName, Count: 0, Size: 0 })),
          Pager: { Offset: offset, Limit: limit, Total: names.length },
        };
      }
      case 'CreateTable': {
        const name = String(params.TableName);
        if (this.tables.has(name)) throw new ApiError('ResourceInUse', `table ${name} exists`);
        this.tables.set(name, { indexes: [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }] }] });
        this.permissions.set(name, { Permission: 'PRIVATE', SecurityRule: '' });
        return {};
      }
      case 'DescribeTable': {
        const table = this.tables.get(String(params.TableName));
        if (!table) throw new ApiError('ResourceNotFound', 'table not found');
        return { Indexes: table.indexes, IndexNum: table.indexes.length };
      }
      case 'UpdateTable': {
        const table = this.tables.get(String(params.TableName));
        if (!table) throw new ApiError('ResourceNotFound', 'table not found');
        for (const index of (params.CreateIndexes ?? []) as {
          IndexName: string;
          MgoKeySchema: { MgoIndexKeys: { Name: string; Direction: string }[]; MgoIsUnique: boolean };
        }[]) {
          if (table.indexes.some((item) => item.Name === index.IndexName)) {
            throw new ApiError('FailedOperation', `index ${index.IndexName} exists`);
          }
          table.indexes.push({ Name: index.IndexName, Keys: index.MgoKeySchema.MgoIndexKeys });
        }
        return {};
      }
      case 'DescribeResourcePermission': {
        if (params.ResourceType === 'function') {
          const list = this.functionRule
            ? [{ ResourceType: 'function', Resource: ENV_ID, Permission: 'CUSTOM', SecurityRule: this.functionRule }]
            : [];
          return { Data: { TotalCount: list.length, PermissionList: list } };
        }
        const list = ((params.Resources ?? []) as string[])
          .filter((name) => this.permissions.has(name))
          .map((name) => ({ ResourceType: 'collection', Resource: name, ...this.permissions.get(name)! }));
        return { Data: { TotalCount: list.length, PermissionList: list } };
      }
      case 'ModifyResourcePermission': {
        if (params.EnvId !== ENV_ID) throw new ApiError('InvalidParameter', 'EnvId');
        if (params.ResourceType === 'function') this.functionRule = String(params.SecurityRule);
        else {
          if (!this.tables.has(String(params.Resource))) throw new ApiError('ResourceNotFound', 'table');
          this.permissions.set(String(params.Resource), {
            Permission: String(params.Permission),
            SecurityRule: String(params.SecurityRule ?? ''),
          });
        }
        return { Data: { Success: true } };
      }
      case 'GetFunction': {
        const { zip: _zip, ...detail } = fn(params.FunctionName);
        return { ...detail, VpcConfig: { VpcId: '', SubnetId: '' } };
      }
      case 'CreateFunction': {
        const name = String(params.FunctionName);
        if (this.functions.has(name)) throw new ApiError('ResourceInUse.FunctionName', name);
        const code = params.Code as { ZipFile?: string };
        if (!code?.ZipFile) throw new ApiError('InvalidParameterValue.Code', 'no package');
        this.functions.set(name, {
          FunctionName: name,
          Runtime: String(params.Runtime),
          Handler: String(params.Handler),
          Timeout: Number(params.Timeout),
          MemorySize: Number(params.MemorySize),
          InstallDependency: params.InstallDependency === 'TRUE' ? 'TRUE' : 'FALSE',
          Description: String(params.Description ?? ''),
          Environment: (params.Environment as ScfFunction['Environment']) ?? { Variables: [] },
          Triggers: [],
          Status: 'Active',
          zip: code.ZipFile,
        });
        return {};
      }
      case 'UpdateFunctionCode': {
        const found = fn(params.FunctionName);
        found.zip = String((params.Code as { ZipFile?: string }).ZipFile);
        found.Handler = String(params.Handler);
        found.InstallDependency = params.InstallDependency === 'TRUE' ? 'TRUE' : 'FALSE';
        return {};
      }
      case 'UpdateFunctionConfiguration': {
        const found = fn(params.FunctionName);
        if (params.Timeout !== undefined) found.Timeout = Number(params.Timeout);
        if (params.MemorySize !== undefined) found.MemorySize = Number(params.MemorySize);
        if (params.Description !== undefined) found.Description = String(params.Description);
        if (params.Environment) found.Environment = params.Environment as ScfFunction['Environment'];
        return {};
      }
      case 'BatchCreateTrigger': {
        const found = fn(params.FunctionName);
        const triggers = JSON.parse(String(params.Triggers)) as {
          TriggerName: string;
          Type: string;
          TriggerDesc: string;
        }[];
        for (const trigger of triggers) {
          // GetFunction reports a timer's cron wrapped in JSON.
          found.Triggers.push({ ...trigger, TriggerDesc: JSON.stringify({ cron: trigger.TriggerDesc }) });
        }
        return {};
      }
      case 'DeleteTrigger': {
        const found = fn(params.FunctionName);
        found.Triggers = found.Triggers.filter((trigger) => trigger.TriggerName !== params.TriggerName);
        return {};
      }
      case 'DescribeCloudBaseGWService':
        return { DefaultDomain: DOMAIN, EnableService: this.gatewayOn, ServiceSet: [] };
      case 'ModifyCloudBaseGWPrivilege':
        this.gatewayOn = params.EnableService === true;
        return { Count: 1 };
      case 'DescribeCloudBaseGWAPI':
        return { APISet: this.apis, Total: this.apis.length, Limit: 100, Offset: 0, EnableService: this.gatewayOn };
      case 'CreateCloudBaseGWAPI': {
        if (!this.gatewayOn) throw new ApiError('FailedOperation', 'service off');
        const id = `api-${this.apis.length + 1}`;
        this.apis.push({
          APIId: id,
          Path: String(params.Path),
          Name: String(params.Name),
          Type: Number(params.Type),
          EnableAuth: params.AuthSwitch === 1,
        });
        return { APIId: id };
      }
      default:
        throw new ApiError('UnsupportedOperation', `${action} is not emulated`);
    }
  }
}

let api: TencentCloudApi;

beforeEach(() => {
  // manager-node prints how it uploads each package: not this test's output.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  api = new TencentCloudApi();
  nock.disableNetConnect();
  for (const host of ['https://tcb.tencentcloudapi.com', 'https://scf.tencentcloudapi.com']) {
    nock(host)
      .persist()
      .post('/')
      .reply(function (_uri, body) {
        const action = String(this.req.headers['x-tc-action']);
        const params = (typeof body === 'string' ? JSON.parse(body) : body) as Params;
        try {
          return [200, { Response: { ...api.handle(action, params), RequestId: `req-${api.calls.length}` } }];
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          return [200, { Response: { Error: { Code: error.code, Message: error.message }, RequestId: 'req-error' } }];
        }
      });
  }
});
afterEach(() => {
  jest.restoreAllMocks();
  nock.cleanAll();
  nock.enableNetConnect();
});
afterAll(() => removeTempDirs());

/** Every collection, and two functions: settle (a timer, no client) and staff (an HTTP path, its token). */
function partialPlan(): DeployPlan {
  const config = path.join(path.dirname(tempDbFile('marker')), 'deploy.local.json');
  writeFileSync(config, JSON.stringify({ env: ENV_ID, seed: { branches: 0 } }));
  const full = buildPlan(root, loadSettings(['--config', config], { root, env: {} }));
  const functions = full.functions.filter((fn) => fn.name === 'settle' || fn.name === 'staff');
  return {
    ...full,
    functions,
    functionRule: functionRuleOf(functions),
    httpAccess: full.httpAccess.filter((access) => access.functionName === 'staff'),
  };
}

function workspace() {
  const dir = path.dirname(tempDbFile('marker'));
  const codeDirs: Record<string, string> = {};
  for (const name of ['settle', 'staff']) {
    codeDirs[name] = path.join(dir, 'dist', name);
    mkdirSync(codeDirs[name], { recursive: true });
    writeFileSync(
      path.join(codeDirs[name], 'index.js'),
      `exports.main = async () => ({ ok: true, data: '${name}' });\n`,
    );
  }
  return { codeDirs, local: path.join(dir, '.deploy', ENV_ID) };
}

function run(plan: DeployPlan, space: ReturnType<typeof workspace>): Promise<DeployOutcome> {
  return deploy({
    admin: new ManagerNodeAdmin({ envId: ENV_ID, secretId: 'AKIDtest', secretKey: 'test-key' }),
    plan,
    codeOf: (name) => ({ dir: space.codeDirs[name]!, sha256: hashFolder(space.codeDirs[name]!) }),
    localSecrets: {
      read: () => readLocalSecrets(space.local),
      write: (values) => writeLocalSecrets(space.local, values),
    },
    log: () => undefined,
  });
}

const writesOf = (calls: TencentCloudApi['calls']) =>
  calls.map((call) => call.action).filter((action) => !/^(Describe|List|Get)/.test(action));

test('a deploy through manager-node creates what the plan has, and a second one changes nothing', async () => {
  const plan = partialPlan();
  const space = workspace();
  const first = await run(plan, space);
  expect(first.changes.length).toBeGreaterThan(plan.collections.length);

  expect([...api.tables.keys()].sort()).toEqual(plan.collections.map((collection) => collection.name).sort());
  for (const collection of plan.collections) {
    expect(api.permissions.get(collection.name)).toEqual({
      Permission: 'CUSTOM',
      SecurityRule: '{"read":false,"write":false}',
    });
    expect(
      api.tables
        .get(collection.name)!
        .indexes.slice(1)
        .map((index) => index.Name),
    ).toEqual(collection.indexes.map((index) => index.name));
  }
  expect(api.tables.get('branches')!.indexes.at(-1)).toEqual({
    Name: 'location_2dsphere',
    Keys: [{ Name: 'location', Direction: '2dsphere' }],
  });

  const settle = api.functions.get('settle')!;
  expect(settle).toMatchObject({
    Runtime: 'Nodejs20.19',
    Handler: 'index.main',
    Timeout: 50,
    InstallDependency: 'FALSE',
  });
  expect(Buffer.from(settle.zip, 'base64').includes('index.js')).toBe(true);
  expect(settle.Description).toBe(`wxbank code sha256 ${hashFolder(space.codeDirs.settle!)}`);
  const variables = Object.fromEntries(settle.Environment.Variables.map((item) => [item.Key, item.Value]));
  expect(variables).toMatchObject({ WXBANK_STORE: 'cloudbase', WXBANK_BANK: 'sandbox', WXBANK_SMS: 'sandbox' });
  expect(variables.WXBANK_SECRET).toBe(readLocalSecrets(space.local).WXBANK_SECRET);
  expect(settle.Triggers).toEqual([
    { TriggerName: 'settle-every-minute', Type: 'timer', TriggerDesc: '{"cron":"0 */1 * * * * *"}' },
  ]);
  const staffVariables = api.functions.get('staff')!.Environment.Variables.map((item) => item.Key);
  expect(staffVariables).toContain('WXBANK_STAFF_TOKEN');
  expect(JSON.parse(api.functionRule!)).toEqual({
    '*': { invoke: 'auth != null' },
    settle: { invoke: false },
    staff: { invoke: false },
  });
  expect(api.gatewayOn).toBe(true);
  expect(api.apis).toEqual([{ APIId: 'api-1', Path: '/staff', Name: 'staff', Type: 1, EnableAuth: false }]);

  api.calls.length = 0;
  const second = await run(plan, space);
  expect(second.changes).toEqual([]);
  expect(writesOf(api.calls)).toEqual([]);
  expect(second.httpDomain).toBe(DOMAIN);

  writeFileSync(path.join(space.codeDirs.settle!, 'index.js'), 'exports.main = async () => ({ ok: true, data: 2 });\n');
  api.calls.length = 0;
  const third = await run(plan, space);
  expect(third.changes.map((change) => change.kind)).toEqual(['updateFunction']);
  expect(writesOf(api.calls)).toEqual(['UpdateFunctionCode', 'UpdateFunctionConfiguration']);
  expect(api.functions.get('settle')!.Description).toBe(`wxbank code sha256 ${hashFolder(space.codeDirs.settle!)}`);
  expect(Buffer.from(api.functions.get('settle')!.zip, 'base64').length).toBeGreaterThan(0);
}, 60_000);

test('an answer with an error code fails the run naming the operation, the code and the request id', async () => {
  const plan = partialPlan();
  const space = workspace();
  const original = api.handle.bind(api);
  api.handle = (action, params) => {
    if (action === 'ModifyResourcePermission') throw new ApiError('UnauthorizedOperation', 'no permission');
    return original(action, params);
  };
  await expect(run(plan, space)).rejects.toThrow(
    /lock collection appointmentHolds admin-only .* failed: set the security rule of appointmentHolds: .*no permission \[UnauthorizedOperation, req-error\]/,
  );
}, 60_000);
