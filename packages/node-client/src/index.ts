export { EntitlementClient, type EntitlementClientOptions, type FailMode } from './entitlement-client';
export type {
  DecisionSource,
  Entitlement,
  EntitlementDecision,
  EntitlementSnapshot,
  SignedSnapshot,
} from './entitlement.types';
export { canonicalJson, snapshotSignature, verifySnapshot } from './snapshot-signature';
