/**
 * The ID number the user typed in this session (real-name form, add-card form), held in memory
 * only — never in storage — so the add-card form can fill it in: the bank checks each card with
 * the whole number, and the server keeps only its last four. Gone when the mini program closes.
 */
let typed = '';

export function rememberTypedIdNumber(idNumber: string): void {
  typed = idNumber.trim().toUpperCase();
}

/** The remembered number when it ends with `lastFour` (the stated identity's), else ''. */
export function typedIdNumberEnding(lastFour: string): string {
  return typed.length === 18 && typed.endsWith(lastFour.toUpperCase()) ? typed : '';
}
