export function findChromium(): string | undefined;
export function chromiumLaunchOptions(extraArgs?: string[]): { executablePath?: string; args: string[] };
