// TEMPORARY experiment knobs (to be removed).
const raw = (globalThis as unknown as { process?: { env: Record<string, string | undefined> } }).process?.env['KNOBS'];
export const KN: Record<string, number> = raw ? (JSON.parse(raw) as Record<string, number>) : {};
export const kn = (name: string, dflt: number): number => KN[name] ?? dflt;
