/** The strings of the professional space's shared medical record (a patient's documents, deposit, emergency access, history). */
const frDmpPro = {
  dmpPro: {
    errors: {} as Record<string, string>,
  },
};

export default frDmpPro;
