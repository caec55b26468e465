/**
 * YearClosed version 1 → 2. Version 2 (issue 13) added 收回: each line's optional `recovered` and
 * the close's optional `recoveryNotice`. A version-1 close split every line into 结转 and 结余
 * only, which is exactly a version-2 close with nothing recovered (absent = 0, no notice): the
 * upcaster is the identity.
 *
 * It must stay the identity, or at least accept version-2 shapes: closes recorded after issue 13
 * but before events carried a schemaVersion have no version field, so they read as version 1.
 */
export const yearClosedV1toV2 = (data: unknown): unknown => data
