/** Numbered SQLite migrations beyond the collection tables (see migrations.ts). */
import type { Migration } from './migrations';

/** The branch locator's spatial index (server/adapters/sqlite/branch-locator.ts). */
const BRANCH_GEO_INDEX: Migration = {
  version: 1,
  description: 'R*Tree over branches.location, kept in step with the branches table by triggers',
  up(db) {
    // R*Tree ids are integers. The branches table's implicit rowid may be renumbered by VACUUM, so
    // each branch gets its own stable integer here. Auxiliary columns keep the exact coordinates
    // (the tree's own bounds are float32, rounded outwards: a safe prefilter, not a position).
    db.exec(`
      CREATE TABLE branch_geo_keys (geoId INTEGER PRIMARY KEY, branchId TEXT NOT NULL UNIQUE) STRICT;
      CREATE VIRTUAL TABLE branch_geo USING rtree(id, minLat, maxLat, minLng, maxLng, +lat, +lng);
    `);
    const place = (ref: 'NEW') => `
      INSERT OR IGNORE INTO branch_geo_keys (branchId) VALUES (${ref}.id);
      DELETE FROM branch_geo WHERE id = (SELECT geoId FROM branch_geo_keys WHERE branchId = ${ref}.id);
      INSERT INTO branch_geo (id, minLat, maxLat, minLng, maxLng, lat, lng)
        SELECT k.geoId, p.lat, p.lat, p.lng, p.lng, p.lat, p.lng
        FROM branch_geo_keys k,
             (SELECT json_extract(${ref}.doc, '$.location.coordinates[1]') AS lat,
                     json_extract(${ref}.doc, '$.location.coordinates[0]') AS lng) p
        WHERE k.branchId = ${ref}.id AND p.lat IS NOT NULL AND p.lng IS NOT NULL;`;
    db.exec(`
      CREATE TRIGGER branch_geo_after_insert AFTER INSERT ON branches BEGIN ${place('NEW')} END;
      CREATE TRIGGER branch_geo_after_update AFTER UPDATE OF doc ON branches BEGIN ${place('NEW')} END;
      CREATE TRIGGER branch_geo_after_delete AFTER DELETE ON branches BEGIN
        DELETE FROM branch_geo WHERE id = (SELECT geoId FROM branch_geo_keys WHERE branchId = OLD.id);
        DELETE FROM branch_geo_keys WHERE branchId = OLD.id;
      END;
      INSERT INTO branch_geo_keys (branchId) SELECT id FROM branches;
      INSERT INTO branch_geo (id, minLat, maxLat, minLng, maxLng, lat, lng)
        SELECT k.geoId, p.lat, p.lat, p.lng, p.lng, p.lat, p.lng
        FROM branch_geo_keys k
        JOIN (SELECT id,
                     json_extract(doc, '$.location.coordinates[1]') AS lat,
                     json_extract(doc, '$.location.coordinates[0]') AS lng
              FROM branches) p ON p.id = k.branchId
        WHERE p.lat IS NOT NULL AND p.lng IS NOT NULL;
    `);
  },
};

export const MIGRATIONS: readonly Migration[] = [BRANCH_GEO_INDEX];
