import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { networkRoutes } from './network.routes.js';
import { NetworkAdminRepository } from './network-admin.repository.js';
import { networkAdminRoutes } from './network-admin.routes.js';
import { NetworkAdminService } from './network-admin.service.js';
import { NetworkSearchService } from './network-search.service.js';

/**
 * The network module: the provider network's member search, the same search for the back office,
 * the service catalogue, and the network files administrators upload (dry run, apply or discard,
 * history). It decorates nothing: other code uses what this file exports.
 */
export const networkModule: FastifyPluginAsyncTypebox = async (app) => {
  const search = new NetworkSearchService(app.db);
  const admin = new NetworkAdminService({
    db: app.db,
    clock: app.clock,
    audit: app.audit,
    repository: new NetworkAdminRepository(),
    storageDir: app.config.storageDir,
    log: app.log,
  });
  await app.register(networkRoutes, { search });
  await app.register(networkAdminRoutes, { admin });
};

export { NetworkRepository } from './network.repository.js';
export { cityKey, type FacilityServiceTable, type NewFacility, type ServiceCode } from './network.table.js';
export {
  formatNetworkImportReport,
  NetworkFileError,
  type NetworkImportReport,
} from './network-import.js';
export { importNetworkFile } from './network-import-apply.js';
export { REGIONS, TOWNS, type Town } from './towns.js';
