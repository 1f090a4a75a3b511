// The errors of the engine's calls (engine.js re-exports them: import them from there).

/** A call that ended because the user pressed Stop (or a newer call replaced it). */
export class Stopped extends Error {
  constructor(message = 'Stopped') {
    super(message);
    this.name = 'Stopped';
  }
}

/** The module trapped (a bug in the core); it has been restarted. */
export class EngineCrash extends Error {
  constructor(call, cause) {
    super(`The engine crashed during \`${call}\` (${cause?.message ?? cause}); it was restarted and the page kept its state.`);
    this.name = 'EngineCrash';
  }
}
