/**
 * Security questions offered at enrollment, and the checks of a user's choice. Ids, texts
 * and settings are those of the collection's "…Security Questions Enrollment", Step 3 response.
 */
import { type Cause, CAUSES, answerTooLong, answerTooShort, invalidQuestionId } from './causes.js';
import type { IdcsSecurityQuestion } from './types.js';

export const SECURITY_QUESTION_CATALOGUE: ReadonlyArray<{ questionId: string; text: string }> = [
  { questionId: 'FavoriteMovie', text: "What's your favorite movie?" },
  { questionId: 'FavoriteTeam', text: "What's your favorite sports team?" },
  { questionId: 'DreamJob', text: "What's your dream job?" },
  { questionId: 'FirstPet', text: "What's your first pet's name?" },
  { questionId: 'ChildhoodHero', text: "Who's your childhood hero?" },
  { questionId: 'FirstCar', text: "What's the model of your first car?" },
  { questionId: 'FirstTimeOnPlane', text: "Where'd you go the first time you flew?" },
  { questionId: 'FavoriteSportsPerson', text: "Who's your favorite player?" },
  { questionId: 'FirstMovie', text: "What's the first movie you saw?" },
  { questionId: 'MaidenName', text: "What's your mother's maiden name?" },
  { questionId: 'FavoriteFood', text: "What's your favorite food?" },
  { questionId: 'FavoriteToy', text: "What's your favorite childhood toy?" },
  { questionId: 'FavoriteBook', text: "What's your favorite book?" },
  { questionId: 'FirstManager', text: "What's the first name of your first manager?" },
  { questionId: 'FavoriteTeacher', text: "What's your favorite teacher's name?" },
];

/** `secQuesSettings` exactly as in that response (strings, as Oracle sends them). */
export const SEC_QUES_SETTINGS = { numQuestionsToSetup: '3', minAnswerLength: '6', numQuestionsToAns: '1', maxFieldLength: '100' } as const;

const SETUP = Number(SEC_QUES_SETTINGS.numQuestionsToSetup);
const MIN = Number(SEC_QUES_SETTINGS.minAnswerLength);
const MAX = Number(SEC_QUES_SETTINGS.maxFieldLength);

/**
 * The questions a user chose (`credentials.questions: [{questionId, answer, hint?}]`), or the
 * cause of the first problem. UNVERIFIED: which check Oracle makes first, and the HTTP status.
 */
export function chosenQuestions(given: unknown): IdcsSecurityQuestion[] | Cause {
  if (!Array.isArray(given) || given.length < SETUP) return CAUSES.tooFewQuestions(SETUP);
  const chosen: IdcsSecurityQuestion[] = [];
  for (const item of given) {
    const { questionId, answer, hint } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const known = SECURITY_QUESTION_CATALOGUE.find((q) => q.questionId === questionId);
    if (!known) return invalidQuestionId(String(questionId));
    if (chosen.some((q) => q.questionId === known.questionId)) return CAUSES.questionTwice;
    const text = typeof answer === 'string' ? answer.trim() : '';
    if (text.length < MIN) return answerTooShort(known.text, MIN);
    if (text.length > MAX) return answerTooLong(known.text, MAX);
    if (chosen.some((q) => q.answer.toLowerCase() === text.toLowerCase())) return CAUSES.answerTwice;
    const hintText = typeof hint === 'string' ? hint.trim().slice(0, MAX) : '';
    if (hintText && hintText.toLowerCase() === text.toLowerCase()) return CAUSES.hintIsAnswer;
    chosen.push({ ...known, answer: text, ...(hintText ? { hint: hintText } : {}) });
  }
  return chosen;
}
