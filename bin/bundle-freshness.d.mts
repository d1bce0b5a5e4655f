// Types of bundle-freshness.mjs for the tests that import it.
export declare const sourceFolders: string[];
export declare function freshBundle(root: string, env?: Record<string, string | undefined>): string | null;
