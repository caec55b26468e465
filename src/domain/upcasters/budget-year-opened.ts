/**
 * BudgetYearOpened version 1 → 2. Version 2 (issue 13, the 决算 work) let the unit identity say
 * its code was assigned locally (unit.localCode: true). The field is optional and its absence
 * means what version 1 always meant, an official 预算单位编码: a version-1 payload is already a
 * valid version-2 payload, so the upcaster is the identity. It is still registered (and tested)
 * so the chain from version 1 is explicit and a later version starts from here.
 */
export const budgetYearOpenedV1toV2 = (data: unknown): unknown => data
