import { describeSyncFlow } from './flow.ts';

describeSyncFlow('postgres');
