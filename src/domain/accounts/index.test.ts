import { describe, expect, it } from 'vitest';
import * as accounts from './index.js';

describe('accounts index', () => {
  it('re-exports every accounts module', () => {
    expect(Object.keys(accounts).sort()).toEqual(
      [
        // fold.ts
        'foldText',
        'foldName',
        // login.ts
        'LOGIN_MIN_LENGTH',
        'LOGIN_MAX_LENGTH',
        'checkLogin',
        'isValidLogin',
        'suggestLogins',
        // password.ts, password-words.ts
        'PASSWORD_MIN_LENGTH',
        'PASSWORD_MAX_LENGTH',
        'PASSWORD_PROBLEMS',
        'checkPassword',
        'isAcceptablePassword',
        'containsPersonalInformation',
        'containsCommonWord',
        'containsFrenchIban',
        'COMMON_PASSWORD_WORDS',
        // codes.ts
        'CODE_ALPHABET',
        'CODE_LENGTH',
        'makeCode',
        'normalizeCode',
        'formatCode',
        'OTP_LENGTH',
        'makeOtp',
        'normalizeOtp',
        // lifecycle.ts
        'PROFILE_STATES',
        'PROFILE_EVENTS',
        'PROFILE_TRANSITIONS',
        'nextState',
        'allowedEvents',
        'canActivate',
        'canObject',
        'dueEvent',
        'isFinal',
        // deadlines.ts
        'DEFAULT_DEADLINES',
        'makeDeadlines',
        'addDays',
        'addMinutes',
        'addSeconds',
        'addYears',
        'openingDate',
        'automaticClosureDate',
        'deletionDate',
        'codeExpiresAt',
        'otpExpiresAt',
        'otpResendAllowedAt',
        'invitationExpiresAt',
        'activationExpiresAt',
        'isReached',
        'dueAtFor',
        // delegation.ts
        'MAX_CARERS',
        'MAX_HELPED',
        'DELEGATION_PROBLEMS',
        'checkCarerInvitation',
        'representativeAccessUntil',
        'hasRepresentativeAccess',
        'matchesPerson',
      ].sort(),
    );
  });
});
