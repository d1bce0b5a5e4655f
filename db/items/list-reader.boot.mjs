// Starts the list reader's thread from the TypeScript sources, through tsx's loader, as
// bin/diarium.mjs starts the command; the CLI's bundle has a built list-reader.worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./list-reader.worker.ts');
