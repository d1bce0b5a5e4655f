// Whether dist/diarium.mjs may run: it exists and is newer than every source it was built from
// (the TypeScript folders, package.json and tsconfig.json). A stale or missing bundle means the
// sources run through tsx instead, so an edit takes effect at once and is never hidden by an old build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const sourceFolders = ['machines', 'db', 'schedules', 'server'];
const sourceFiles = ['package.json', 'tsconfig.json', 'package-lock.json'];
const compiled = /\.(ts|tsx|mts|js|mjs|json)$/;

/** The bundle's path when it is fresh; null when it is missing, stale, or DIARIUM_FROM_SOURCE=1 asks for the sources. */
export function freshBundle(root, env = process.env) {
  if (env.DIARIUM_FROM_SOURCE === '1') return null;
  const bundle = join(root, 'dist', 'diarium.mjs');
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return null;
  }
  for (const file of sourceFiles) if (newer(join(root, file), built)) return null;
  for (const folder of sourceFolders) if (anyNewer(join(root, folder), built)) return null;
  return bundle;
}

function newer(path, than) {
  try {
    return statSync(path).mtimeMs > than;
  } catch {
    return false;
  }
}

function anyNewer(folder, than) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return false;
  }
  // A folder's own time changes when a file is added, removed or renamed in it.
  if (newer(folder, than)) return true;
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() ? anyNewer(path, than) : compiled.test(entry.name) && newer(path, than)) return true;
  }
  return false;
}
