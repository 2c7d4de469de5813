import { reconcile } from '@/server/domains/deployments/reconcile';
import { engineDeps } from '../engine';

export const handleReconcile = () => reconcile(engineDeps());
