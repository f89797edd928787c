// Puts the process environment back as it was, in place: `process.env = copy` would swap Node's environment
// object for a plain one, after which setting `TZ` no longer moves the clock's zone for the rest of the worker.
export function restoreEnvironment(snapshot: Readonly<NodeJS.ProcessEnv>): void {
  for (const name of Object.keys(process.env)) {
    if (!(name in snapshot)) delete process.env[name];
  }
  for (const [name, value] of Object.entries(snapshot)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
