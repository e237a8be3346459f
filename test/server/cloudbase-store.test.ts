/**
 * The Store contract against a real CloudBase environment. It needs credentials this repository
 * does not have, so it runs only when they are provided:
 *
 *   TCB_ENV_ID=<env id> TENCENTCLOUD_SECRETID=<id> TENCENTCLOUD_SECRETKEY=<key> npx jest cloudbase-store
 *
 * Without them the suite is skipped, and says so.
 */
import { randomBytes } from 'node:crypto';
import { CloudBaseStore } from '../../server/adapters/cloudbase/store';
import { CONTRACT_SPECS, describeStoreContract, type ContractCollections } from './store-contract';

const env = process.env.TCB_ENV_ID;
const secretId = process.env.TENCENTCLOUD_SECRETID;
const secretKey = process.env.TENCENTCLOUD_SECRETKEY;

if (env && secretId && secretKey) {
  jest.setTimeout(60_000);
  describeStoreContract('CloudBase', async () => {
    // Fresh collections per test, so runs never see each other's documents.
    const store = new CloudBaseStore<ContractCollections>({
      connection: { env, secretId, secretKey },
      collections: CONTRACT_SPECS,
      collectionPrefix: `contract_${randomBytes(4).toString('hex')}_`,
    });
    await store.ensureCollections();
    return store;
  });
} else {
  test.skip('CloudBase store contract: SKIPPED — set TCB_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY to run it', () => {});
}
