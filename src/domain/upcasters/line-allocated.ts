/**
 * LineAllocated version 1 → 2. Version 2 (issue 13) added carriedFundSource on 上年结转 lines:
 * the fund source the carried money was budgeted in. Optional, and absent on lines recorded before
 * it existed, which the 决算 tables read as "not known" (never guessed): a version-1 payload is a
 * valid version-2 payload, so the upcaster is the identity.
 */
export const lineAllocatedV1toV2 = (data: unknown): unknown => data
