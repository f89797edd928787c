/** One destination of a cluster's snapshots as a construct prop (an item of Source.Destinations). */
export interface SourceDestinationProps {
  /** Region of the copies; the stack's region with `account` is a share in place (Region). */
  readonly region: string;
  /**
   * Account the snapshots (in the stack's region) or the copies (in `region`) are shared with (Account).
   * @default none: a copy in this account
   */
  readonly account?: string;
  /**
   * Key of `region` for the copies of encrypted snapshots (KmsKeyDestination).
   * @default none
   */
  readonly kmsKeyDestination?: string;
}
