/** Types for electron-binary.mjs (plain JavaScript, so `npm start` runs before anything is compiled). */
export declare const INSTALL_COMMAND: string;
export declare function electronBinary(env?: NodeJS.ProcessEnv): string | null;
export declare function electronPackageDir(): string;
