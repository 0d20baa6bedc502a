import { describe, expect, it } from 'vitest';
import type { PreventionItem } from '../../contract/prevention.js';
import { computePrevention } from '../../domain/prevention/index.js';
import type { ItemMark } from '../../domain/prevention/types.js';
import { loadCalendars } from './calendars.js';
import { computeView, nextItem } from './items.js';
import { vaccinationCalendarOf } from './vaccination-view.js';

const cals = loadCalendars();
const ASOF = '2026-11-23';

/** Jade (born 2021-09-20) with everything before her 5th birthday done: exam-17 and dental:5 open that day. */
function jade(): PreventionItem[] {
  const birthDate = '2021-09-20';
  const first = computePrevention({ birthDate, sex: 'F', vaccinations: [], marks: [] }, cals, ASOF);
  const marks: ItemMark[] = first
    .filter((i) => (i.status === 'due' || i.status === 'overdue') && i.window.start < '2026-09-20')
    .map((i) => ({ code: i.code, mark: 'done', date: i.window.start }));
  return computePrevention({ birthDate, sex: 'F', vaccinations: [], marks }, cals, ASOF);
}

const item = (code: string, start: string, over: Partial<PreventionItem> = {}): PreventionItem => ({
  code,
  type: 'vaccination',
  ref: code,
  title: code,
  level: 'recommended',
  window: { start, end: '2030-01-01' },
  status: 'due',
  reasons: [{ code: 'calendar' }],
  ...over,
});

describe('the next item to act on', () => {
  it('Jade: the examination of her 6th year and M’T dents at 5 open the same day; the mandatory examination comes first', () => {
    const items = jade();
    const tied = items.filter((i) => i.window.start === '2026-09-20' && i.status === 'due').map((i) => i.code);
    expect(tied).toEqual(['dental:5', 'exam-17']);
    expect(nextItem(items)?.code).toBe('exam-17');
  });

  it('takes the earliest window; on a tie, mandatory first, then child examination, vaccination, screening, key-age check-up, dental, then the code', () => {
    expect(nextItem([item('b', '2026-01-02'), item('a', '2026-01-01', { status: 'overdue' })])?.code).toBe('a');
    expect(nextItem([item('a', '2026-01-01'), item('b', '2026-01-01', { level: 'mandatory' })])?.code).toBe('b');
    const types: PreventionItem['type'][] = ['dental', 'key-age-checkup', 'screening', 'vaccination', 'child-exam'];
    const tie = types.map((type, k) => item(`${k}`, '2026-01-01', { type }));
    expect(nextItem(tie)?.type).toBe('child-exam');
    expect(nextItem(tie.filter((i) => i.type !== 'child-exam'))?.type).toBe('vaccination');
    expect(nextItem(tie.filter((i) => i.type === 'dental' || i.type === 'key-age-checkup'))?.type).toBe('key-age-checkup');
    expect(nextItem([item('z', '2026-01-01'), item('y', '2026-01-01')])?.code).toBe('y');
    // only what is due or overdue
    expect(nextItem([item('a', '2026-01-01', { status: 'done', doneOn: '2026-02-01' }), item('b', '2027-01-01', { status: 'to-plan' })])).toBeUndefined();
  });

  it('is the view’s next, and the view gives each marked item its comment', () => {
    const birthDate = '2021-09-20';
    const marks = [
      { code: 'exam-17', mark: 'planned' as const, date: '2026-12-10', comment: 'Chez le Dr Durand' },
      { code: 'dental:5', mark: 'planned' as const },
    ];
    const view = computeView(cals, { profile: { birthDate, sex: 'F', vaccinations: [], marks: marks.map(({ comment: _c, ...m }) => m) }, marks }, ASOF);
    expect(view.items.find((i) => i.code === 'exam-17')).toMatchObject({ planned: { on: '2026-12-10' }, comment: 'Chez le Dr Durand' });
    expect(view.items.find((i) => i.code === 'dental:5')?.comment).toBeUndefined();
    expect(view.items.filter((i) => i.comment !== undefined)).toHaveLength(1);
    expect(view.next).toBe(nextItem(view.items)?.code);
  });
});

describe('the vaccination calendar view', () => {
  it('makes a row mandatory when a dose is, and gives the level of the doses that differ (MenB before and after 2025-01-01)', () => {
    // born 2024-06-01: MenB at 3 and 5 months in 2024 (recommended), the 12-month booster in 2025 (mandatory)
    const person = { birthDate: '2024-06-01', sex: 'M' as const };
    const items = computePrevention({ ...person, vaccinations: [], marks: [] }, cals, '2025-07-01', { horizonMonths: 12 * 130 });
    const { rows } = vaccinationCalendarOf(cals.vaccination.schedules, person, items, []);
    const menb = rows.find((r) => r.ref === 'menb-infant')!;
    expect(menb.level).toBe('mandatory');
    expect(menb.doses.map((d) => [d.code, d.level])).toEqual([
      ['vac:menb-infant:1', 'recommended'],
      ['vac:menb-infant:2', 'recommended'],
      ['vac:menb-infant:3', undefined],
    ]);
    // a row whose doses are all of its level gives none
    expect(rows.find((r) => r.ref === 'dtcap-hib-hepb-primary')!.doses.every((d) => d.level === undefined)).toBe(true);
    // born 2023-05-01: every MenB dose fell before 2025, the row is recommended
    const older = { birthDate: '2023-05-01', sex: 'F' as const };
    const olderItems = computePrevention({ ...older, vaccinations: [], marks: [] }, cals, '2025-07-01', { horizonMonths: 12 * 130 });
    expect(vaccinationCalendarOf(cals.vaccination.schedules, older, olderItems, []).rows.find((r) => r.ref === 'menb-infant')!.level).toBe('recommended');
  });
});
