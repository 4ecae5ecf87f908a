/**
 * The pinned zod import. Full `npm:` specifiers live here so that the library resolves for users
 * who import it from a URL without the project's import map.
 *
 * @module
 */
export { z } from "npm:zod@4.6.7";
