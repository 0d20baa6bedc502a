import { useTranslation } from 'react-i18next';
import { passwordChecks, type PasswordRule } from '../validation';
import { TextField, type TextFieldProps } from './TextField';

const RULES: PasswordRule[] = ['length', 'lower', 'upper', 'digit', 'special'];

/** A new-password input with the rules listed and a checklist that follows what is typed. */
export function PasswordField(props: Omit<TextFieldProps, 'type' | 'describedBy'> & { value: string }) {
  const { t } = useTranslation();
  const checks = passwordChecks(props.value);
  const rulesId = `${props.id}-rules`;
  return (
    <TextField type="password" autoComplete="new-password" describedBy={rulesId} {...props}>
      <div id={rulesId} className="password-rules">
        <p>{t('password.rulesTitle')}</p>
        <ul>
          {RULES.map((rule) => (
            <li key={rule} className={checks[rule] ? 'rule rule--met' : 'rule'}>
              <span className="rule__mark" aria-hidden="true">
                {checks[rule] ? '✓' : '✗'}
              </span>{' '}
              {t(`password.rules.${rule}`)}
              <span className="visually-hidden">
                {' : '}
                {checks[rule] ? t('password.ruleMet') : t('password.ruleNotMet')}
              </span>
            </li>
          ))}
        </ul>
        <p className="hint">{t('password.personalInfo')}</p>
      </div>
    </TextField>
  );
}
