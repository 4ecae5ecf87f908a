/**
 * One rule for the `string | URL` locations the loaders accept: a URL object, or a string with a
 * scheme (`file:`, `https:`, …), is a URL; any other string is a file path (relative ones against
 * the working directory), so `#`, `%`, `?` and spaces in it are ordinary characters.
 *
 * @module
 */
import { pathToFileURL } from "node:url";

/** A scheme of two or more letters (one letter is a Windows drive, as in `C:\data`). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/**
 * The URL of a location: URL objects and strings with a scheme as they are, plain paths through
 * `pathToFileURL` (a trailing `/` is kept).
 *
 * @example
 * ```ts
 * import { locationUrl } from "./location.ts";
 * locationUrl("/data/a#b.json").href; // "file:///data/a%23b.json"
 * locationUrl("https://example.org/x.json").protocol; // "https:"
 * ```
 */
export function locationUrl(location: string | URL): URL {
  if (location instanceof URL) return location;
  if (SCHEME.test(location)) return new URL(location);
  return pathToFileURL(location);
}
