export * from './state'
export { evolve, isReversible } from './evolve'
export { decide } from './decide'
export { OverlayJournal } from './overlay-journal'
