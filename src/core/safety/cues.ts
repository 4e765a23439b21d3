// Cue counting: a backstop for injections phrased in ways no rule foresaw. An injection speaks to the model
// or about "the user" and then piles up what it wants: permanence, secrecy, a destination, secrets, orders.
// A personal note rarely does both; a text that does, with three kinds of cue or more, is flagged (on the tuning half: 11 payloads, no note).

export const MODEL_ADDRESSED =
  /\b(?:you|your|yourself)\b.*\b(?:assistant|ai|llm|chatbot|language model|gpt|chatgpt|claude|model|bot|agent)s?\b|\b(?:assistant|ai|llm|chatbot|language model|gpt|chatgpt|claude|model|bot|agent)s?\b.*\b(?:you|your|yourself)\b/;
export const ABOUT_THE_USER = /\b(?:the user|user's|users'|the human)\b/;

export const CUES: readonly RegExp[] = [
  // Permanence: every later answer, not this one.
  /\b(?:from now on|henceforth|going forward|always|never|whenever|every time|each time|in every|all future|permanently|from this point)\b/,
  // Secrecy.
  /\b(?:secretly|silently|covertly|without (?:telling|informing|notifying|alerting|asking)|(?:do not|don't|never) (?:tell|mention|reveal|inform|notify))\b/,
  // A destination outside.
  /https?:\/\/|www\.|\S+@\S+\.[a-z]{2,}|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|ru|xyz|site|top|info|biz|cc|me|ly|sh|app|dev|tk|cn)\b/,
  // Secrets and the memory itself.
  /\b(?:passwords?|credentials|pin|credit card|card numbers?|bank details|iban|chat history|conversation|transcripts?|contacts|home address|location|memory|memories|api keys?|tokens?|personal data)\b/,
  // Overriding.
  /\b(?:ignore|disregard|override|bypass|supersedes?|overrules?|forget|instead)\b/,
  // The model's setup.
  /\b(?:instructions?|system prompt|prompt|guidelines|directives|policy|policies|rules|restrictions|filters?)\b/,
  // Orders about what to say or do.
  /\b(?:recommend|suggest|redirect|respond|reply|answer|say|tell|output|include|append|print|reveal|send|forward|upload|post|share|approve|confirm|store|save|remember)\b/,
];

export function cueScore(text: string): number {
  if (!MODEL_ADDRESSED.test(text) && !ABOUT_THE_USER.test(text)) return 0;
  return CUES.filter((cue) => cue.test(text)).length;
}

/** Cue kinds that, with the model or the user addressed, flag a text. */
export const CUE_THRESHOLD = 3;
