/** What a create that may meet its own earlier success ended with. */
export type Written<T> = { kind: 'created'; value: T } | { kind: 'existed'; value: T };

/**
 * Creates something in Fortnox that may already be there: made meanwhile by another transfer or process, or by our
 * own earlier attempt whose answer was lost. When the create is refused in the way the resource refuses a
 * duplicate (`isConflict`, stated once per resource in src/fortnox/resources/), it is read back; found, that is
 * success. Not found, the refusal had another cause and is thrown as it came.
 */
export async function createOrReadBack<T>(steps: {
  create: () => Promise<T>;
  readBack: () => Promise<T | undefined>;
  isConflict: (error: unknown) => boolean;
}): Promise<Written<T>> {
  try {
    return { kind: 'created', value: await steps.create() };
  } catch (error) {
    if (!steps.isConflict(error)) throw error;
    const found = await steps.readBack();
    if (found === undefined) throw error;
    return { kind: 'existed', value: found };
  }
}
