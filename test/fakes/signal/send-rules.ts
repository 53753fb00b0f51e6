// /v2/send's recipient rules as signal-cli-rest-api applies them (client.go getRecipientType and SendV2):
// `group.` ids must base64-decode twice to 32 bytes; groups, numbers and usernames cannot be mixed; one group.

const GROUP_PREFIX = 'group.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PHONE = /^\+\d{6,15}$/;

type RecipientType = 'group' | 'number' | 'username';

/** Go's base64.StdEncoding.DecodeString: strict alphabet and padding, or undefined. */
function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

function recipientType(recipient: string): { type: RecipientType } | { error: string } {
  if (recipient.startsWith(GROUP_PREFIX)) {
    const rest = recipient.slice(GROUP_PREFIX.length);
    const once = strictBase64(rest);
    if (once !== undefined) {
      const twice = strictBase64(once.toString('latin1'));
      if (twice !== undefined) {
        return twice.length === 32
          ? { type: 'group' }
          : { error: `Invalid Signal group size (${twice.length}` };
      }
    } else if (rest.length <= 10) {
      return { type: 'username' };
    }
    return { error: `Invalid identifier ${recipient}` };
  }
  if (PHONE.test(recipient) || UUID.test(recipient)) return { type: 'number' };
  return { type: 'username' };
}

/** signal-cli's refusal of a username without a discriminator (what sending to an internal group id hits, #719). */
export function usernameError(recipients: string[]): string | undefined {
  const bad = recipients.find((r) => {
    const result = recipientType(r);
    return 'type' in result && result.type === 'username' && !r.includes('.');
  });
  return bad === undefined
    ? undefined
    : "Failed to send message: org.whispersystems.signalservice.api.util.UsernameParseException$MissingSeparatorException: Username must contain a '.'";
}

/** The 400 error text the real server answers for these recipients, or undefined when they are acceptable. */
export function recipientsError(recipients: string[]): string | undefined {
  const counts: Record<RecipientType, number> = { group: 0, number: 0, username: 0 };
  for (const recipient of recipients) {
    const result = recipientType(recipient);
    if ('error' in result) return result.error;
    counts[result.type] += 1;
  }
  const split =
    'cannot be specified together in one request! Please split them up into multiple REST API calls.';
  if (counts.number > 0 && counts.group > 0) return `Signal Messenger Groups and phone numbers ${split}`;
  if (counts.username > 0 && counts.group > 0) return `Signal Messenger Groups and usernames ${split}`;
  if (counts.number > 0 && counts.username > 0)
    return `Signal Messenger phone numbers and usernames ${split}`;
  if (counts.group > 1) {
    return 'A signal message cannot be sent to more than one group at once! Please use multiple REST API calls for that.';
  }
  return undefined;
}
