/**
 * The error a promise rejects with; fails the test when it resolves instead, or (given `type`) when the
 * error is not of that class.
 */
export async function rejection<E extends Error = Error>(
  promise: Promise<unknown>,
  type?: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (type !== undefined && !(error instanceof type)) throw error;
    return error as E;
  }
  throw new Error('expected a rejection');
}
