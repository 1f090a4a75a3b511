// Errors thrown by the wasm exports are `Error`s with extra fields `{kind, exception?, path?,
// diagnostics?}`; anything else (a JS bug, a wasm trap) is shown with its message.

/** `{message, path, kind, exception}` of any thrown value, for display. */
export function describeError(error) {
  let message = typeof error?.message === 'string' && error.message
    ? error.message
    : String(error ?? 'unknown error');
  const path = typeof error?.path === 'string' && error.path && error.path !== '.' ? error.path : null;
  if (path) message = message.replace(` (at \`${path}\`)`, '');
  return {
    message,
    path,
    kind: typeof error?.kind === 'string' ? error.kind : null,
    exception: typeof error?.exception === 'string' ? error.exception : null,
  };
}
