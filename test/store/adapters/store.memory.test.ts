import { MemoryEventStore } from '../../../src/store/memory'
import { storeContract } from './store-contract'

storeContract('memory', async () => ({ store: new MemoryEventStore() }))
