/**
 * The request id a reply carries.
 * @module
 */

import type { RequestId } from "./requests.ts";

/**
 * `message` answering request `re`: with `re` as its last field, or as it is when the request
 * had no id.
 *
 * @example
 * ```ts
 * import { withRe } from "./with_re.ts";
 * JSON.stringify(withRe({ type: "pong" }, 7)); // '{"type":"pong","re":7}'
 * ```
 */
export function withRe<T extends object>(message: T, re: RequestId | undefined): T {
  return re === undefined ? message : { ...message, re };
}
