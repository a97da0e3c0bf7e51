/**
 * Family and member identifiers in the FIW / Kaggle layout: families are folders named like
 * `F0002`, members are `MID1` folders inside them, and the relationship CSV names a member as
 * `F0002/MID1`. Everything is normalised to that canonical form (upper-case prefix, forward
 * slash) so CSV rows written on Windows (`F0002\MID1`) match the folder tree.
 */

/** A family id such as `F0002`. */
export type FamilyId = string;
/** A member id such as `F0002/MID1`. */
export type MemberId = string;

const FAMILY_RE = /^f(\d+)$/i;
const MEMBER_RE = /^mid(\d+)$/i;

/** `F0002` from a folder name like `f0002`; null when the name is not a family folder. */
export function parseFamilyFolder(name: string): FamilyId | null {
  const m = FAMILY_RE.exec(name.trim());
  return m ? `F${m[1]}` : null;
}

/** `MID1` from a folder name like `mid1`; null when the name is not a member folder. */
export function parseMemberFolder(name: string): string | null {
  const m = MEMBER_RE.exec(name.trim());
  return m ? `MID${m[1]}` : null;
}

/**
 * Canonical member id from a CSV cell: accepts `/` or `\` separators and a leading path such as
 * `train/F0002/MID1` (the last two segments count). Null when it does not name a member.
 */
export function parseMemberId(raw: string): MemberId | null {
  const segments = raw
    .trim()
    .split(/[\\/]+/)
    .filter((s) => s.length > 0);
  if (segments.length < 2) return null;
  const family = parseFamilyFolder(segments[segments.length - 2] ?? '');
  const member = parseMemberFolder(segments[segments.length - 1] ?? '');
  return family && member ? `${family}/${member}` : null;
}

/** The family part of a canonical member id. */
export function familyOf(member: MemberId): FamilyId {
  const slash = member.indexOf('/');
  return slash < 0 ? member : member.slice(0, slash);
}

/** Orders ids by their text with digit runs compared as numbers (MID2 before MID10). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
