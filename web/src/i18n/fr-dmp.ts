/** The strings of the patient's shared medical record pages (documents, settings, access history). */
const frDmp = {
  dmp: {
    errors: {} as Record<string, string>,
  },
};

export default frDmp;
