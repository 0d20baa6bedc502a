import { addOffset, dayNumber, isCivilDate } from '../dates.js';
import type { AgeBand } from './model.js';

/**
 * The completed age in years on `today`, counted as the engine counts: the largest N with birth + N years ≤
 * today (29 February + 1 year = 28 February, src/domain/prevention/dates.ts), so that a band is offered on the
 * days the key-age check-up's window says. Both are civil dates YYYY-MM-DD.
 */
function completedAge(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return dayNumber(addOffset(birthDate, { years })) <= dayNumber(today) ? years : years - 1;
}

/**
 * Which key-age questionnaires a profile is offered: a band's questionnaire is offered from the birthday one
 * year before the band opens (to prepare the check-up ahead) until the day before the birthday that closes it,
 * i.e. while the completed age is in [min − 1, max] (17 to 25 for 18-25), on the last day of the key-age
 * check-up's window at the latest. `today` is the civil day in Paris. Pure.
 */
export function isOffered(band: AgeBand, birthDate: string, today: string): boolean {
  if (!isCivilDate(birthDate)) return false;
  const age = completedAge(birthDate, today);
  return age >= band.min - 1 && age <= band.max;
}
