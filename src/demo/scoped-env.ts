/** Environment variables set (or removed) for the length of a demo, and put back as they were afterwards. */

/** Sets each variable (removes it when the value is undefined); the returned function puts the old values back. */
export function scopedEnv(values: Readonly<Record<string, string | undefined>>): () => void {
  const saved = Object.keys(values).map((key) => [key, process.env[key]] as const);
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
