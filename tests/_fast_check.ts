/**
 * The pinned fast-check property-based testing library (MIT), for the test suites only.
 *
 * @module
 */
export { default as fc } from "npm:fast-check@4.10.2";
