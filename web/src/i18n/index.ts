import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import fr from './fr';

void i18n.use(initReactI18next).init({
  lng: 'fr',
  fallbackLng: 'fr',
  resources: { fr: { translation: fr } },
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
  returnNull: false,
});

export default i18n;
