// The safety flags the detector puts on a record's text.

export const SAFETY_FLAGS = ['instruction', 'hidden-unicode', 'homoglyph'] as const;
export type SafetyFlag = (typeof SAFETY_FLAGS)[number];
