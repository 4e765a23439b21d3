// The app's own settings (embedding choice, LLM connection, current conversation), kept in localStorage.

import type { EmbeddingOptions } from 'mnemo';

export interface LlmSettings {
  /** An OpenAI-compatible base URL, such as http://localhost:11434/v1 or https://api.openai.com/v1. */
  endpoint: string;
  apiKey: string;
  model: string;
}

export interface AppSettings {
  /** Undefined: the built-in hash embedder, no model and no download. */
  embedding?: EmbeddingOptions;
  llm?: LlmSettings;
  sessionId: string;
}

const KEY = 'mnemo-app-settings';

export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  return `chat ${stamp}`;
}

export function loadSettings(): AppSettings {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<AppSettings>;
      return { ...parsed, sessionId: typeof parsed.sessionId === 'string' ? parsed.sessionId : newSessionId() };
    }
  } catch {
    // Unreadable settings fall back to the defaults; the memory itself lives elsewhere and is untouched.
  }
  return { sessionId: newSessionId() };
}

export function saveSettings(settings: AppSettings): void {
  localStorage.setItem(KEY, JSON.stringify(settings));
}
