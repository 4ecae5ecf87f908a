// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned arquero import. flechette is imported first at 2.6.0 because arquero 8.0.3 would pull
 * 2.7.0, whose own dependency is missing from the registry this project is built against.
 *
 * @module
 */
import "npm:@uwdata/flechette@2.6.0";
export * as aq from "npm:arquero@8.0.3";
