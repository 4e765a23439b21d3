// An optional language model: any OpenAI-compatible chat endpoint the user entered (remote or local).

import type { LlmSettings } from './settings-store.js';

interface ChatResponse {
  choices?: { message?: { content?: string } }[];
  error?: { message?: string };
}

/** Sends one prompt with the memory's context as the system message; resolves with the answer text. */
export async function askLlm(llm: LlmSettings, system: string, prompt: string, signal?: AbortSignal): Promise<string> {
  const url = `${llm.endpoint.replace(/\/+$/, '')}/chat/completions`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(llm.apiKey && { Authorization: `Bearer ${llm.apiKey}` }) },
    body: JSON.stringify({
      model: llm.model,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
    }),
    ...(signal && { signal }),
  });
  const body = (await response.json().catch(() => ({}))) as ChatResponse;
  if (!response.ok) throw new Error(`The LLM answered ${response.status}: ${body.error?.message ?? response.statusText}`);
  const answer = body.choices?.[0]?.message?.content;
  if (typeof answer !== 'string') throw new Error('The LLM answered without a message.');
  return answer;
}

export const SYSTEM_PREAMBLE =
  'You are a helpful assistant with a long-term memory. What you remember about the user and the conversation follows; use it when it helps, and say so when it does not cover the question.\n\n';

/** The consolidation pass's `llm(prompt)` for facts and summaries. */
export function llmFunction(llm: LlmSettings): (prompt: string) => Promise<string> {
  return (prompt) => askLlm(llm, 'Follow the instructions exactly and answer only in the format asked for.', prompt);
}
