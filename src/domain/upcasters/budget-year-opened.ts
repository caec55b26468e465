/**
 * BudgetYearOpened version 1 → 2. Version 2 (issue 13, the 决算 work) let the unit identity say
 * its code was assigned locally (unit.localCode: true). The field is optional and its absence
 * means what version 1 always meant, an official 预算单位编码: a version-1 payload is already a
 * valid version-2 payload, so the upcaster is the identity. It is still registered (and tested)
 * so the chain from version 1 is explicit and a later version starts from here.
 */
export const budgetYearOpenedV1toV2 = (data: unknown): unknown => data

/**
 * BudgetYearOpened version 2 → 3. Version 3 (issue 13 §4, departments) lets the opening name the
 * department the unit belongs to and its role, 本级 or 所属单位 (department), and record last year's
 * 决算 figures (previousYear.finalAccounts). Both are optional and their absence means what version 2
 * always meant (a unit on its own; no 上年决算 recorded): the upcaster is the identity.
 */
export const budgetYearOpenedV2toV3 = (data: unknown): unknown => data
