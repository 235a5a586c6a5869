/**
 * twilio-video's CancelablePromise, as connect() returns it: a Promise with cancel(), which
 * rejects it (Error 'Canceled') unless it has settled; the work it stands for is told, so that
 * it can undo what it did (connect() stops the tracks it captured and leaves the room).
 */
export interface CancelablePromise<T> extends Promise<T> {
  cancel(): this;
}

export function cancelable<T>(run: (isCanceled: () => boolean) => Promise<T>): CancelablePromise<T> {
  let canceled = false;
  let settled = false;
  let rejectNow!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    rejectNow = reject;
    run(() => canceled).then(
      (value) => {
        settled = true;
        resolve(value);
      },
      (error) => {
        settled = true;
        reject(error);
      },
    );
  }) as CancelablePromise<T>;
  promise.cancel = function cancel(this: CancelablePromise<T>) {
    if (!settled && !canceled) {
      canceled = true;
      rejectNow(new Error('Canceled'));
    }
    return this;
  };
  return promise;
}
