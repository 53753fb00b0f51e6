// Who may run /chorus: Discord shows the command only to members with Manage Guild, but a server's admins can
// grant it to anyone, so the config's `admins.discord` allowlist of user ids is the real gate.

export type Authorization = { ok: true } | { ok: false; reason: string };

export function authorize(userId: string, admins: readonly string[]): Authorization {
  if (admins.length === 0) {
    return {
      ok: false,
      reason: `no Chorus admins are configured: add your Discord user id (${userId}) to "admins": { "discord": [...] } in the config`,
    };
  }
  if (!admins.includes(userId)) return { ok: false, reason: 'you are not a Chorus admin (admins.discord)' };
  return { ok: true };
}
