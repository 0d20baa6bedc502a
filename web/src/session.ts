/** What the signed-in browser tab remembers: the access token and the profile it acts for (sessionStorage). */

const TOKEN = 'carnet.accessToken';
const ACTING = 'carnet.actingFor';
const EXPIRED = 'carnet.sessionExpired';

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // storage unavailable (private mode): the session lasts as long as the page
  }
}

export const getAccessToken = (): string | null => read(TOKEN);
export const setAccessToken = (token: string | null): void => write(TOKEN, token);

export const getActingFor = (): string | null => read(ACTING);
export const setActingFor = (patientId: string | null): void => write(ACTING, patientId);

/** Set when a signed-in request was refused with 401, so that the sign-in page can say why. */
export const wasSessionExpired = (): boolean => read(EXPIRED) !== null;
export const markSessionExpired = (): void => write(EXPIRED, String(Date.now()));
export const sessionExpiredAt = (): number => Number(read(EXPIRED) ?? 0);
export const clearSessionExpired = (): void => write(EXPIRED, null);

export function clearSession(): void {
  write(TOKEN, null);
  write(ACTING, null);
}
