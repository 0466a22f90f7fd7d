import { describeSyncFlow } from './flow.ts';

describeSyncFlow('pglite');
