/**
 * Writes ids as soon as they come, sharing one statement among those that arrive while the previous
 * write is still running (a database's "group commit"). `add` resolves once its id is written.
 */
export function groupCommit(write: (ids: string[]) => Promise<void>): (id: string) => Promise<void> {
  let waiting: { id: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  async function pump(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await write(batch.map((w) => w.id));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  }
  return (id) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ id, resolve, reject });
      if (!writing) void pump();
    });
}
