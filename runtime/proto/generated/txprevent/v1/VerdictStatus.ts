// Original file: txprevent/v1/scan.proto

export const VerdictStatus = {
  VERDICT_STATUS_UNSPECIFIED: 'VERDICT_STATUS_UNSPECIFIED',
  /**
   * The payload behaved as the vulnerability predicts, and the control did not.
   */
  VERDICT_STATUS_CONFIRMED: 'VERDICT_STATUS_CONFIRMED',
  /**
   * The endpoint behaved the same with and without the payload.
   */
  VERDICT_STATUS_NOT_CONFIRMED: 'VERDICT_STATUS_NOT_CONFIRMED',
  /**
   * Errors, timeouts or unstable baselines prevented a decision.
   */
  VERDICT_STATUS_INCONCLUSIVE: 'VERDICT_STATUS_INCONCLUSIVE',
  /**
   * No template exists for the finding class.
   */
  VERDICT_STATUS_UNSUPPORTED: 'VERDICT_STATUS_UNSUPPORTED',
  /**
   * The safety policy refused the scan (out of scope, metadata address, kill switch, budget).
   */
  VERDICT_STATUS_REFUSED: 'VERDICT_STATUS_REFUSED',
} as const;

export type VerdictStatus =
  | 'VERDICT_STATUS_UNSPECIFIED'
  | 0
  /**
   * The payload behaved as the vulnerability predicts, and the control did not.
   */
  | 'VERDICT_STATUS_CONFIRMED'
  | 1
  /**
   * The endpoint behaved the same with and without the payload.
   */
  | 'VERDICT_STATUS_NOT_CONFIRMED'
  | 2
  /**
   * Errors, timeouts or unstable baselines prevented a decision.
   */
  | 'VERDICT_STATUS_INCONCLUSIVE'
  | 3
  /**
   * No template exists for the finding class.
   */
  | 'VERDICT_STATUS_UNSUPPORTED'
  | 4
  /**
   * The safety policy refused the scan (out of scope, metadata address, kill switch, budget).
   */
  | 'VERDICT_STATUS_REFUSED'
  | 5

export type VerdictStatus__Output = typeof VerdictStatus[keyof typeof VerdictStatus]
