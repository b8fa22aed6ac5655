// Types for scripts/lib/standalone.mjs, for the TypeScript scripts that start the image's server.
export const STANDALONE: string;
export const STANDALONE_SERVER: string;
export const STANDALONE_MIGRATE: string;
export const STANDALONE_WORKER: string;
export function standaloneIsAssembled(): boolean;
export function assembleStandalone(): Promise<void>;
export function standaloneServerEnv(env: NodeJS.ProcessEnv, port: number | string, host?: string): NodeJS.ProcessEnv;
