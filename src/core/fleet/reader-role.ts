/**
 * The read-only role each member account's stack makes for `status --organization`, and the vault's
 * status-reader stack too. IAM is global and a stack set deploys one stack per region of an account, so each
 * region's stack makes its own role, named after its region.
 */
export const STATUS_READER_ROLE = (region: string): string => `AuroraSnapshotTool-StatusReader-${region}`;

/** The capabilities the account template needs: it names its status reader role (one per region). */
export const ACCOUNT_TEMPLATE_CAPABILITIES = ['CAPABILITY_NAMED_IAM'] as const;
