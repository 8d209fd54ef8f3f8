/** Types of scripts/transpile.js (a plain JavaScript build script). */
export declare const root: string;
export declare function transpileSrc(options?: { onlyStale?: boolean }): { files: number; written: number; problems: string; outDir: string };
export declare function buildValidator(): Promise<number>;
/** Whether the prebuilt validators must be written again: `written` files were just transpiled, or one is missing. */
export declare function validatorStale(written: number): boolean;
