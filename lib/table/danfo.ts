/**
 * danfojs (pandas for JavaScript), typed. Its package.json declares its types
 * only under "exports", which tslab's Node10-style resolution does not read;
 * importing `dfd` from here gives notebooks the real types.
 */
import type * as Danfo from "danfojs/dist/danfojs-browser/src/index";

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const dfd: typeof Danfo = require("danfojs");
