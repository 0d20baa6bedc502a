import { useTranslation } from 'react-i18next';
import { describeField, FieldErrorText } from '../../../../components/Field';
import { ANSWER_TEXT_MAX, type AnswerValue, type QuestionView } from '../../../../prevention-types';
import { isAnswered, questionId } from './answers';

/** The question's text with "(obligatoire)" or "(facultatif)". */
function QuestionText({ question }: { question: QuestionView }) {
  const { t } = useTranslation();
  return (
    <>
      {question.text} <span className="qr-optional">{question.required ? t('questionnaire.required') : t('questionnaire.optional')}</span>
    </>
  );
}

/**
 * One question of the player: RADIO as radio buttons and CHECKBOX as checkboxes in a fieldset whose legend is the
 * question, TEXT as a labelled textarea (at most ANSWER_TEXT_MAX characters, the server's limit). An optional
 * radio question once answered offers "Effacer la réponse" (radio buttons cannot be unchecked); the focus then
 * goes to its first option. A conditional question says so in its hint; the error shows above the control and is
 * linked to it.
 */
export function QuestionField({
  question,
  value,
  onChange,
  error,
}: {
  question: QuestionView;
  value: AnswerValue | undefined;
  onChange: (value: AnswerValue) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const id = questionId(question.linkId);
  const hint = question.enableWhen?.length ? t('questionnaire.form.conditional') : undefined;
  const { hintId, errorId, aria } = describeField(id, hint, error);
  const className = `field qr-question${question.enableWhen?.length ? ' qr-question--conditional' : ''}${error ? ' field--error' : ''}`;

  if (question.kind === 'text') {
    return (
      <div className={className}>
        <label htmlFor={id}>
          <QuestionText question={question} />
        </label>
        {hint && (
          <p id={hintId} className="hint">
            {hint}
          </p>
        )}
        {error && <FieldErrorText id={errorId!} message={error} />}
        <textarea
          id={id}
          rows={3}
          maxLength={ANSWER_TEXT_MAX}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
          {...aria}
        />
      </div>
    );
  }

  const checked = (code: string) => (Array.isArray(value) ? value.includes(code) : value === code);
  const toggle = (code: string, on: boolean) => {
    const current = Array.isArray(value) ? value : [];
    onChange(on ? [...current.filter((c) => c !== code), code] : current.filter((c) => c !== code));
  };
  return (
    <fieldset id={id} className={className} aria-describedby={aria['aria-describedby']}>
      <legend>
        <QuestionText question={question} />
      </legend>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId!} message={error} />}
      {(question.options ?? []).map((option, i) => (
        <div className={question.kind === 'radio' ? 'qr-choice qr-choice--radio' : 'qr-choice qr-choice--checkbox'} key={option.code}>
          <input
            id={`${id}-${i}`}
            type={question.kind === 'radio' ? 'radio' : 'checkbox'}
            name={id}
            value={option.code}
            checked={checked(option.code)}
            aria-invalid={error ? true : undefined}
            onChange={(e) => (question.kind === 'radio' ? onChange(option.code) : toggle(option.code, e.target.checked))}
          />
          <label htmlFor={`${id}-${i}`}>{option.label}</label>
        </div>
      ))}
      {question.kind === 'radio' && !question.required && isAnswered(value) && (
        <button
          type="button"
          className="button button--secondary button--small qr-clear"
          onClick={() => {
            onChange('');
            window.setTimeout(() => document.getElementById(`${id}-0`)?.focus(), 0);
          }}
        >
          {t('questionnaire.form.clear')}
          <span className="visually-hidden"> : {question.text}</span>
        </button>
      )}
    </fieldset>
  );
}
