/** French strings of the professional space (/pro) and of the patient's list of professionals. */
const frPro = {};

export default frPro;
