// Types of check-layers.mjs for the tests that call it (the script itself runs as plain Node).
export declare const LAYERS: readonly (readonly string[])[];
export declare const EXCEPTIONS: Readonly<Record<string, string>>;
export declare function importsOf(text: string): string[];
export declare function checkImports(
  files: ReadonlyMap<string, string>,
  exceptions?: Readonly<Record<string, string>>,
): string[];
export declare function readTree(root: string): Map<string, string>;
