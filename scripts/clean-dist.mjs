// Removes dist/ before a pack, so the tarball holds only what this build made (no stale files of a checkout).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
