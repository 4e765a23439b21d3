// A short, plain explanation of a hit's component scores.

import type { RecallScores } from 'mnemo';

export function why(scores: RecallScores): string {
  const reasons: string[] = [];
  if (scores.lexical > 0) reasons.push('shares words with the query (or with the turns around it)');
  if (scores.dense !== undefined && scores.dense > 0.5) reasons.push('close in meaning');
  else if (scores.lexical === 0) reasons.push('found by its embedding only');
  if (scores.time > 1) reasons.push('happened in the time the query names');
  if (scores.speaker > 1) reasons.push('said by the person the query names');
  if (scores.question < 1) reasons.push('ranked a little lower: it asks rather than tells');
  if (scores.importance > 0.5) reasons.push('marked important');
  if (scores.retention < 0.5) reasons.push('fading: not recalled for a while');
  return reasons.length ? `${reasons.join('; ')}.` : 'a weak match.';
}

/** The components as label/value pairs, in the order of the score formula. */
export function components(scores: RecallScores): [string, string][] {
  return [
    ['lexical', scores.lexical.toFixed(2)],
    ['dense', scores.dense === undefined ? 'n/a' : scores.dense.toFixed(2)],
    ['relevance', scores.relevance.toFixed(3)],
    ['time', `×${scores.time}`],
    ['speaker', `×${scores.speaker}`],
    ['question', `×${scores.question}`],
    ['importance', scores.importance.toFixed(2)],
    ['retention', scores.retention.toFixed(2)],
  ];
}
