/** French strings of the professional sign-in (Pro Santé Connect) and of the choice of practice situation. */
const frProSignIn = {};

export default frProSignIn;
