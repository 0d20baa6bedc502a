import { useTranslation } from 'react-i18next';
import type { QuestionnaireResponseView, QuestionnaireView } from '../../../../prevention-types';
import { answerLabel, enabledQuestions } from './answers';

/** A finalised response, read-only: per group, each question asked and its answer ("Pas de réponse" when none). */
export function ResponseAnswers({ questionnaire, response }: { questionnaire: QuestionnaireView; response: QuestionnaireResponseView }) {
  const { t } = useTranslation();
  const enabled = enabledQuestions(questionnaire, response.answers);
  return (
    <div className="qr-answers">
      {questionnaire.groups.map((group) => {
        const asked = group.questions.filter((q) => enabled.has(q.linkId));
        if (asked.length === 0) return null;
        return (
          <section key={group.linkId} aria-labelledby={`qr-answers-${group.linkId}`}>
            <h3 id={`qr-answers-${group.linkId}`}>{group.title}</h3>
            <dl className="qr-answers__list">
              {asked.map((question) => {
                const label = answerLabel(question, response.answers[question.linkId]);
                return (
                  <div key={question.linkId} className="qr-answers__item">
                    <dt>{question.text}</dt>
                    <dd className={label ? 'qr-answer' : 'qr-answer meta'}>{label ?? t('questionnaire.form.noAnswer')}</dd>
                  </div>
                );
              })}
            </dl>
          </section>
        );
      })}
    </div>
  );
}
