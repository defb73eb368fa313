import { lastNameSegment } from './name-locations';

/**
 * Names of a field holding a password (`password`, `login[pwd]`, `user.passwd`, `new_password`,
 * `password_confirmation`, Java's `j_password`), lower-cased.
 */
const PASSWORD_FIELD =
  /^(?:(?:new|old|current|confirm)_?)?(?:pass(?:word|wd|phrase)?|pwd|pw)(?:_?(?:confirm(?:ation)?|again|repeat|[12]))?$|^(?:userpassword|j_password|credentials?)$/;

/** Whether a parameter's lower-cased name (its last segment) names a password field. */
export function isPasswordField(lowerName: string): boolean {
  return PASSWORD_FIELD.test(lastNameSegment(lowerName));
}
