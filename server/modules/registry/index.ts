import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { registryRoutes } from './registry.routes.js';
import { RegistryAdminRepository } from './registry-admin.repository.js';
import { registryAdminRoutes } from './registry-admin.routes.js';
import { RegistryAdminService } from './registry-admin.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry imports running in the background: wait for them with `drain()` (tests do). */
    registryAdmin: Pick<RegistryAdminService, 'drain'>;
  }
}

/**
 * The registry module: the member registry (anagrafica) in the back office — file uploads checked
 * and imported in the background, member search and page — and the family a member sees on the
 * dashboard. Imports under way are waited for when the app closes (before the database goes).
 */
async function registry(app: FastifyInstance): Promise<void> {
  const service = new RegistryAdminService({
    db: app.db,
    dialect: app.dialect,
    clock: app.clock,
    audit: app.audit,
    registration: app.registration,
    repository: new RegistryAdminRepository(),
    storageDir: app.config.storageDir,
    log: app.log,
    handle: app.database,
  });
  app.decorate('registryAdmin', { drain: () => service.drain() });
  app.addHook('onClose', async () => service.drain());
  await app.register(registryAdminRoutes, { registry: service });
  await app.register(registryRoutes, { registry: service });
}

/** Not encapsulated, so that `app.registryAdmin` reaches the app; the routes stay in plugins of their own. */
export const registryModule = fp(registry, { name: 'registry' });

export { REGISTRY_MEMBER_COLUMNS, RegistryRepository } from './registry.repository.js';
export {
  type FileImportOptions,
  type FileImportResult,
  type ImportOptions,
  type ImportReport,
  importRegistry,
  importRegistryFile,
  RegistryFileError,
} from './registry.service.js';
export type { NewRegistryMember, RegistryRole } from './registry.table.js';
export { formatImportReport } from './registry-import.js';
